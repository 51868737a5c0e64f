import { describe, test } from "vitest";
import { inMemoryInboxStore, inMemoryRunStore } from "./in-memory-ports.js";
import { inboxStoreCases, runStoreCases } from "./store-contract.js";

describe(inMemoryRunStore.name, () => {
  test.for(runStoreCases)("%s", async ([, check]) => {
    await check(inMemoryRunStore());
  });
});

describe(inMemoryInboxStore.name, () => {
  test.for(inboxStoreCases)("%s", async ([, check]) => {
    await check(inMemoryInboxStore());
  });
});
