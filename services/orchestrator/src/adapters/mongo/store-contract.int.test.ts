import { describe, test } from "@textops/testing";
import { inboxStoreCases, runStoreCases } from "../../testing/store-contract.js";
import { createInboxRepository } from "./inbox.repository.js";
import { createRunRepository } from "./run.repository.js";

describe("the Mongo run store keeps the store contract", () => {
  test.for(runStoreCases)("%s", async ([, check], { mongo }) => {
    await check(await createRunRepository(mongo.db));
  });
});

describe("the Mongo inbox store keeps the store contract", () => {
  test.for(inboxStoreCases)("%s", async ([, check], { mongo }) => {
    await check(await createInboxRepository(mongo.db));
  });
});
