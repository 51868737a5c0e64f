import { expect } from "vitest";
import type { Identities, LinkedAddress, StoredLinkCode } from "../app/ports.js";
import { T0 } from "./run-builder.js";

/*
 * What every Identities must do, run against the Mongo adapter
 * (adapters/mongo/identity.repository.int.test.ts) and the in-memory one
 * (testing/in-memory-identities.test.ts).
 */

const at = (ms: number) => new Date(T0 + ms).toISOString();

export const aLink = (fields: Partial<LinkedAddress> = {}): LinkedAddress => ({
  address: "sms:+15551230001",
  personId: "alice",
  linkedAt: at(0),
  linkedFrom: "dev:alice",
  linkedBy: "dev:m1",
  ...fields,
});

export const aCode = (fields: Partial<StoredLinkCode> = {}): StoredLinkCode => ({
  personId: "alice",
  salt: "salt-1",
  hash: "hash-1",
  issuedAt: at(0),
  expiresAt: at(600_000),
  issuedFrom: "dev:alice",
  wrongTries: [],
  usedBy: null,
  ...fields,
});

export const identitiesCases: [string, (identities: Identities) => Promise<void>][] = [
  [
    "an address is linked once: a second link of it is told the first",
    async (identities) => {
      expect(await identities.linkOf("sms:+15551230001")).toBeNull();
      expect(await identities.link(aLink())).toEqual({ kind: "linked" });
      const again = await identities.link(aLink({ personId: "bob", linkedBy: "dev:m2" }));
      expect(again).toEqual({ kind: "exists", existing: aLink() });
      expect(await identities.linkOf("sms:+15551230001")).toEqual(aLink());
    },
  ],
  [
    "a person's linked addresses, oldest first",
    async (identities) => {
      await identities.link(aLink({ address: "telegram:42", linkedAt: at(2_000) }));
      await identities.link(aLink({ linkedAt: at(1_000) }));
      await identities.link(aLink({ address: "dev:bob2", personId: "bob" }));
      const linked = await identities.linkedTo("alice");
      expect(linked.map((l) => l.address)).toEqual(["sms:+15551230001", "telegram:42"]);
      expect(await identities.linkedTo("carol")).toEqual([]);
    },
  ],
  [
    "one code per person: a new one replaces the old",
    async (identities) => {
      await identities.putCode(aCode());
      await identities.putCode(aCode({ personId: "bob", salt: "salt-b" }));
      await identities.putCode(aCode({ salt: "salt-2", hash: "hash-2" }));
      const codes = await identities.codes();
      expect(codes.sort((a, b) => a.personId.localeCompare(b.personId))).toEqual([
        aCode({ salt: "salt-2", hash: "hash-2" }),
        aCode({ personId: "bob", salt: "salt-b" }),
      ]);
    },
  ],
  [
    "a wrong try is counted once per message, and only against the code it was counted for",
    async (identities) => {
      await identities.putCode(aCode());
      expect(await identities.countWrongTry("alice", "salt-1", "dev:t1")).toBe(1);
      expect(await identities.countWrongTry("alice", "salt-1", "dev:t1")).toBe(1);
      expect(await identities.countWrongTry("alice", "salt-1", "dev:t2")).toBe(2);
      expect(await identities.countWrongTry("alice", "old-salt", "dev:t3")).toBeNull();
      expect(await identities.countWrongTry("nobody", "salt-1", "dev:t3")).toBeNull();
      await identities.putCode(aCode({ salt: "salt-2" }));
      expect(await identities.countWrongTry("alice", "salt-2", "dev:t3")).toBe(1);
    },
  ],
  [
    "a code is used by one message; the same message may use it again",
    async (identities) => {
      await identities.putCode(aCode());
      expect(await identities.useCode("alice", "salt-1", "dev:m1")).toBe(true);
      expect(await identities.useCode("alice", "salt-1", "dev:m1")).toBe(true);
      expect(await identities.useCode("alice", "salt-1", "dev:m2")).toBe(false);
      expect(await identities.useCode("alice", "other", "dev:m1")).toBe(false);
      expect((await identities.codes())[0]?.usedBy).toBe("dev:m1");
    },
  ],
];
