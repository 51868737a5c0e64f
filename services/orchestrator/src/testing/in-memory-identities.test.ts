import { describe, expect, test } from "vitest";
import { identitiesCases } from "./identities-contract.js";
import { inMemoryIdentities } from "./in-memory-identities.js";

describe(inMemoryIdentities.name, () => {
  test.for(identitiesCases)("%s", async ([, check]) => {
    await check(inMemoryIdentities());
  });

  test("a change is recorded once per kind, person and message", async () => {
    const identities = inMemoryIdentities();
    const change = {
      kind: "link-code-voided" as const,
      personId: "alice",
      at: "2026-11-26T12:00:00.000Z",
      from: "dev:x",
      cause: "dev:m1",
    };
    await identities.record(change);
    await identities.record(change);
    await identities.record({ ...change, personId: "bob" });
    expect(identities.changes.map((c) => c.personId)).toEqual(["alice", "bob"]);
  });
});
