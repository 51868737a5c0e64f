import { describe, expect, test } from "@textops/testing";
import { aCode, aLink, identitiesCases } from "../../testing/identities-contract.js";
import { createIdentityRepository } from "./identity.repository.js";

describe("the Mongo identities keep the identities contract", () => {
  test.for(identitiesCases)("%s", async ([, check], { mongo }) => {
    await check(createIdentityRepository(mongo.db));
  });
});

describe(createIdentityRepository.name, () => {
  test("a linked address is stored under the address, a code under the person", async ({
    mongo,
  }) => {
    const identities = createIdentityRepository(mongo.db);

    await identities.link(aLink());
    await identities.putCode(aCode());

    const { address: _, ...link } = aLink();
    expect(await mongo.db.collection("linked_addresses").find().toArray()).toEqual([
      { _id: "sms:+15551230001", ...link },
    ]);
    const { personId: __, ...code } = aCode();
    expect(await mongo.db.collection("link_codes").find().toArray()).toEqual([
      { _id: "alice", ...code },
    ]);
  });

  test("concurrent links of one address link it exactly once", async ({ mongo }) => {
    const identities = createIdentityRepository(mongo.db);
    const people = ["alice", "bob", "carol", "dave", "erin", "frank"];

    const results = await Promise.all(
      people.map((personId) => identities.link(aLink({ personId, linkedBy: `dev:${personId}` }))),
    );

    expect(results.filter((r) => r.kind === "linked")).toHaveLength(1);
    const owner = (await identities.linkOf("sms:+15551230001"))?.personId;
    for (const result of results) {
      if (result.kind === "exists") expect(result.existing.personId).toBe(owner);
    }
  });

  test("concurrent wrong tries of different messages are each counted; of one message, once", async ({
    mongo,
  }) => {
    const identities = createIdentityRepository(mongo.db);
    await identities.putCode(aCode());

    await Promise.all(
      ["t1", "t2", "t3", "t1", "t2"].map((key) => identities.countWrongTry("alice", "salt-1", key)),
    );

    expect((await identities.codes())[0]?.wrongTries.sort()).toEqual(["t1", "t2", "t3"]);
  });

  test("the identity log is appended to, each change once", async ({ mongo }) => {
    const identities = createIdentityRepository(mongo.db);
    const issued = {
      kind: "link-code-issued" as const,
      personId: "alice",
      at: "2026-11-26T12:00:00.000Z",
      from: "dev:alice",
      cause: "dev:m1",
    };
    const linked = {
      ...issued,
      kind: "address-linked" as const,
      from: "sms:+15551230001",
      address: "sms:+15551230001",
      cause: "sms:m2",
    };

    await identities.record(issued);
    await identities.record(linked);
    await identities.record(linked);

    const log = await mongo.db
      .collection("identity_changes")
      .find()
      .sort({ at: 1, _id: 1 })
      .toArray();
    expect(log.map(({ _id, ...change }) => change)).toEqual([linked, issued]);
  });
});
