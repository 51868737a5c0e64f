import { describe, expect, test } from "vitest";
import { aDirectory, anApprovalPolicy, people } from "../../testing/policy-builders.js";
import { resolveApprovers, resolveEscalation } from "./resolve-approvers.js";

const { alice, bob, carol, dave } = people;
const directory = aDirectory();

describe(resolveApprovers.name, () => {
  test.for([
    ["no policy: everyone but the requester", undefined, "alice", ["bob", "carol", "dave", "erin"]],
    ["no approvers: everyone but the requester", {}, "bob", ["alice", "carol", "dave", "erin"]],
    [
      "no approvers, self-approval: everyone",
      { allowSelfApproval: true },
      "bob",
      ["alice", "bob", "carol", "dave", "erin"],
    ],
    ["by role, requester left out", { approvers: { roles: ["ops"] } }, "bob", ["carol"]],
    [
      "by role, self-approval allowed",
      { approvers: { roles: ["ops"] }, allowSelfApproval: true },
      "bob",
      ["bob", "carol"],
    ],
    [
      "roles and users, in directory order, each once",
      { approvers: { roles: ["ops"], users: ["dave", "carol"] } },
      "alice",
      ["bob", "carol", "dave"],
    ],
    ["a user not in the directory is nobody", { approvers: { users: ["zoe"] } }, "alice", []],
    ["only the requester qualifies: nobody", { approvers: { users: ["alice"] } }, "alice", []],
  ] as const)("%s", ([, written, requesterId, expected]) => {
    const approval = written === undefined ? undefined : anApprovalPolicy(written);

    expect(resolveApprovers(approval, directory, requesterId)).toEqual(expected);
  });

  test("a person the directory lists twice is named once", () => {
    const twice = aDirectory(alice, bob, carol, bob);

    expect(resolveApprovers(anApprovalPolicy(), twice, "alice")).toEqual(["bob", "carol"]);
  });
});

describe(resolveEscalation.name, () => {
  const escalating = (more: Record<string, unknown> = {}) =>
    anApprovalPolicy({
      approvers: { roles: ["ops"] },
      escalateAfter: "10m",
      escalateTo: { roles: ["admin"] },
      ...more,
    });

  test.for([
    ["adds only people not already approvers", escalating(), "alice", ["bob", "carol"], ["dave"]],
    ["nobody new: nothing", escalating(), "alice", ["bob", "carol", "dave"], []],
    ["leaves the requester out", escalating(), "dave", ["bob", "carol"], []],
    [
      "keeps the requester when self-approval is allowed",
      escalating({ allowSelfApproval: true }),
      "dave",
      ["bob", "carol"],
      ["dave"],
    ],
    ["no escalation: nothing", anApprovalPolicy(), "alice", ["bob"], []],
  ] as const)("%s", ([, approval, requesterId, already, expected]) => {
    expect(resolveEscalation(approval, directory, requesterId, already)).toEqual(expected);
  });

  test("no policy: nothing", () => {
    expect(resolveEscalation(undefined, aDirectory(dave), "alice", [])).toEqual([]);
  });
});
