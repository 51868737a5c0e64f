import { describe, test } from "@textops/testing";
import { jobSlotsCases } from "../../testing/job-slots-contract.js";
import {
  inboxStoreCases,
  peopleQueryCases,
  runStoreCases,
  waitingRunCases,
} from "../../testing/store-contract.js";
import { createInboxRepository } from "./inbox.repository.js";
import { createJobSlotsRepository } from "./job-slots.repository.js";
import { createRunRepository } from "./run.repository.js";

describe("the Mongo run store keeps the store contract", () => {
  test.for([...runStoreCases, ...waitingRunCases, ...peopleQueryCases])(
    "%s",
    async ([, check], { mongo }) => {
      await check(await createRunRepository(mongo.db));
    },
  );
});

describe("the Mongo inbox store keeps the store contract", () => {
  test.for(inboxStoreCases)("%s", async ([, check], { mongo }) => {
    await check(await createInboxRepository(mongo.db));
  });
});

describe("the Mongo job slots keep the job slots contract", () => {
  test.for(jobSlotsCases)("%s", async ([, check], { mongo }) => {
    await check(() => Promise.resolve(createJobSlotsRepository(mongo.db)));
  });
});
