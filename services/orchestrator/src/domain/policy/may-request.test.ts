import type { AccessPolicy } from "@textops/contracts";
import { describe, expect, test } from "vitest";
import { people } from "../../testing/policy-builders.js";
import { describeSelector, mayRequest } from "./may-request.js";
import type { PolicyPerson } from "./policy-person.js";

const { alice, bob, carol, erin } = people;

describe(mayRequest.name, () => {
  test.for([
    ["absent: anyone in the directory", undefined, erin],
    ["by role", { roles: ["dev", "ops"] }, alice],
    ["by another of the roles", { roles: ["dev", "ops"] }, carol],
    ["by user", { users: ["erin"] }, erin],
    ["by user, whatever the roles", { roles: ["admin"], users: ["bob"] }, bob],
  ] satisfies [string, AccessPolicy | undefined, PolicyPerson][])("%s", ([, access, person]) => {
    expect(mayRequest(access, person)).toEqual({ ok: true });
  });

  test.for([
    [{ roles: ["dev", "ops"] }, erin, "it is only for roles dev, ops"],
    [{ roles: ["admin"] }, alice, "it is only for role admin"],
    [{ users: ["alice"] }, bob, "it is only for user alice"],
    [
      { roles: ["dev"], users: ["bob", "carol"] },
      erin,
      "it is only for role dev and users bob, carol",
    ],
  ] satisfies [AccessPolicy, PolicyPerson, string][])(
    "%j refuses %j: %s",
    ([access, person, reason]) => {
      expect(mayRequest(access, person)).toEqual({ ok: false, reason });
    },
  );

  test("a role and a user of the same name are not the same thing", () => {
    const access: AccessPolicy = { users: ["ops"] };

    expect(mayRequest(access, bob)).toMatchObject({ ok: false });
  });
});

describe(describeSelector.name, () => {
  test("an empty list is left out", () => {
    expect(describeSelector({ roles: [], users: ["alice"] })).toBe("user alice");
  });
});
