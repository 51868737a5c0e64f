import { createHash } from "node:crypto";
import type { PersonEntry } from "@textops/contracts";
import { describe, expect, test } from "vitest";
import { Directory } from "./directory.js";

const hashOf = (token: string) => `sha256:${createHash("sha256").update(token).digest("hex")}`;
const CAROL_TOKEN = "carol-token-0123456789abcdef";
const OTHER_TOKEN = "other-token-0123456789abcdef";

/** One person of the file: addresses and nothing else unless given. */
const aPerson = (fields: Partial<PersonEntry> & Pick<PersonEntry, "addresses">): PersonEntry => ({
  roles: [],
  apiTokens: [],
  ...fields,
});

/** The example: alice the dev, bob and carol in ops, carol an admin with a token. */
const directory = Directory.fromFile({
  users: {
    alice: aPerson({
      name: "Alice Doe",
      roles: ["dev"],
      addresses: ["dev:alice", "sms:+15551230001"],
    }),
    bob: aPerson({
      roles: ["ops"],
      addresses: ["dev:bob", "telegram:4242"],
      notify: "telegram:4242",
    }),
    carol: aPerson({
      roles: ["ops", "admin"],
      addresses: ["dev:carol", "slack:U02ABCDEF"],
      apiTokens: [hashOf(OTHER_TOKEN), hashOf(CAROL_TOKEN)],
    }),
  },
});

const ids = (people: readonly { id: string }[] | undefined) => people?.map((person) => person.id);

describe(Directory.name, () => {
  test("a person by id, defaults resolved: name the id, notices to the first address", () => {
    expect(directory.person("alice")).toEqual({
      id: "alice",
      name: "Alice Doe",
      roles: ["dev"],
      addresses: ["dev:alice", "sms:+15551230001"],
      notify: "dev:alice",
    });
    expect(directory.person("bob")).toMatchObject({ name: "bob", notify: "telegram:4242" });
    expect(directory.person("dave")).toBeUndefined();
  });

  test.for([
    ["dev:alice", "alice"],
    ["sms:+15551230001", "alice"],
    ["telegram:4242", "bob"],
    ["slack:U02ABCDEF", "carol"],
    ["SMS:+15551230001", "alice"],
    ["Slack:U02ABCDEF", "carol"],
    ["slack:u02abcdef", undefined],
    ["dev:Alice", undefined],
    ["sms:+15551230009", undefined],
    ["telegram:42", undefined],
    ["alice", undefined],
  ] as const)("byAddress(%j) is %j", ([address, id]) => {
    expect(directory.byAddress(address)?.id).toBe(id);
  });

  test("everyone in file order, and by role", () => {
    expect(ids(directory.people())).toEqual(["alice", "bob", "carol"]);
    expect(ids(directory.withRole("ops"))).toEqual(["bob", "carol"]);
    expect(ids(directory.withRole("admin"))).toEqual(["carol"]);
    expect(ids(directory.withRole("auditor"))).toEqual([]);
  });

  test("the people it hands out cannot be changed under it", () => {
    directory.people().pop();
    const alice = directory.person("alice");

    expect(() => (alice?.roles as string[]).push("admin")).toThrow(TypeError);
    expect(ids(directory.people())).toEqual(["alice", "bob", "carol"]);
    expect(ids(directory.withRole("admin"))).toEqual(["carol"]);
  });

  test("linked addresses are layered on, the file's own first, in a new directory", () => {
    const linked = directory.withLinked(
      new Map([
        ["sms:+15551230002", "bob"],
        ["TELEGRAM:777", "alice"],
        ["dev:alice", "bob"],
        ["sms:+15551230003", "nobody"],
      ]),
    );

    expect(linked.byAddress("sms:+15551230002")?.id).toBe("bob");
    expect(linked.byAddress("telegram:777")?.id).toBe("alice");
    expect(linked.byAddress("dev:alice")?.id).toBe("alice");
    expect(linked.byAddress("sms:+15551230003")).toBeUndefined();
    expect(directory.byAddress("sms:+15551230002")).toBeUndefined();
    expect(ids(linked.people())).toEqual(["alice", "bob", "carol"]);
  });

  test.for([
    ["the right token", CAROL_TOKEN, "carol"],
    ["carol's other token", OTHER_TOKEN, "carol"],
    ["a wrong token of the same length", CAROL_TOKEN.replace(/f$/, "e"), undefined],
    ["a token of another length", `${CAROL_TOKEN}0`, undefined],
    ["the hash instead of the token", hashOf(CAROL_TOKEN), undefined],
    ["no token", "", undefined],
  ] as const)("personForToken: %s → %j", ([, token, id]) => {
    expect(directory.personForToken(token)?.id).toBe(id);
  });

  test("a directory without tokens knows no token", () => {
    const tokenless = Directory.fromFile({ users: { dave: aPerson({ addresses: ["dev:dave"] }) } });

    expect(tokenless.personForToken(CAROL_TOKEN)).toBeUndefined();
  });
});
