import { describe, test } from "vitest";
import { inMemoryJobSlots } from "./in-memory-job-slots.js";
import { inMemoryInboxStore, inMemoryRunStore } from "./in-memory-ports.js";
import { jobSlotsCases } from "./job-slots-contract.js";
import {
  inboxStoreCases,
  peopleQueryCases,
  runStoreCases,
  waitingRunCases,
} from "./store-contract.js";

describe(inMemoryRunStore.name, () => {
  test.for([...runStoreCases, ...waitingRunCases, ...peopleQueryCases])("%s", async ([, check]) => {
    await check(inMemoryRunStore());
  });
});

describe(inMemoryInboxStore.name, () => {
  test.for(inboxStoreCases)("%s", async ([, check]) => {
    await check(inMemoryInboxStore());
  });
});

describe(inMemoryJobSlots.name, () => {
  test.for(jobSlotsCases)("%s", async ([, check]) => {
    const slots = inMemoryJobSlots();
    await check(() => Promise.resolve(slots));
  });
});
