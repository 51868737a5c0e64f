import { describe, expect, test } from "vitest";
import { anApprovalPolicy, people } from "../../testing/policy-builders.js";
import { approvalStateOf, type ApprovalState } from "./approval-state.js";
import { confirmCodeFor } from "./confirm-code.js";
import { decideApproval, decideDenial, type ApprovalDecision } from "./decide-approval.js";
import type { PolicyPerson } from "./policy-person.js";

const { alice, bob, carol, dave, erin } = people;

/** alice asked; bob, carol and dave may approve; one yes is enough. */
const aState = (over: Partial<ApprovalState> = {}): ApprovalState => ({
  required: 1,
  approvers: ["bob", "carol", "dave"],
  approvals: [],
  requesterId: "alice",
  allowSelfApproval: false,
  confirmCode: false,
  ...over,
});

const SECRET = "test-confirm-secret";
const codeOf = (approverId: string) =>
  confirmCodeFor(SECRET, {
    runId: "K7Q2MX",
    jobHash: "0123456789abcdef01234567",
    parameters: [{ name: "service", value: "api" }],
    approverId,
  });

/** Each yes in turn, as the caller would record them; the decisions. */
function yesInTurn(state: ApprovalState, ...persons: PolicyPerson[]): ApprovalDecision[] {
  const approvals = [...state.approvals];
  return persons.map((person, i) => {
    const decision = decideApproval({ ...state, approvals }, person, null, null);
    if (decision.kind === "approved") {
      approvals.push({ personId: person.id, at: `2026-11-26T12:0${i}:00.000Z` });
    }
    return decision;
  });
}

describe(decideApproval.name, () => {
  test("one yes of an approver is enough by default", () => {
    expect(decideApproval(aState(), bob, null, null)).toEqual({
      kind: "approved",
      personId: "bob",
      count: 1,
      required: 1,
      complete: true,
    });
  });

  test("2 of 3: a repeated yes counts once, and is not an error", () => {
    expect(yesInTurn(aState({ required: 2 }), bob, bob, carol, dave)).toEqual([
      { kind: "approved", personId: "bob", count: 1, required: 2, complete: false },
      { kind: "already-approved", count: 1, required: 2 },
      { kind: "approved", personId: "carol", count: 2, required: 2, complete: true },
      { kind: "approved", personId: "dave", count: 3, required: 2, complete: true },
    ]);
  });

  test.for([
    ["the requester, self-approval not allowed", aState(), alice, "self-approval"],
    [
      "the requester, even when named an approver",
      aState({ approvers: ["alice", "bob"] }),
      alice,
      "self-approval",
    ],
    ["someone not among the approvers", aState(), erin, "not-an-approver"],
    [
      "the requester, allowed, but not an approver",
      aState({ allowSelfApproval: true }),
      alice,
      "not-an-approver",
    ],
  ] as const)("refused: %s", ([, state, person, reason]) => {
    expect(decideApproval(state, person, null, null)).toEqual({ kind: "refused", reason });
  });

  test("the requester approves their own run when the policy allows it", () => {
    const state = aState({ allowSelfApproval: true, approvers: ["alice", "bob"] });

    expect(decideApproval(state, alice, null, null)).toMatchObject({ kind: "approved" });
  });

  describe("with a confirm code", () => {
    const coded = aState({ confirmCode: true });
    test.for([
      ["right", codeOf("bob"), codeOf("bob"), { kind: "approved", personId: "bob" }],
      ["right, in lower case", codeOf("bob").toLowerCase(), codeOf("bob"), { kind: "approved" }],
      ["missing", null, codeOf("bob"), { kind: "refused", reason: "code-missing" }],
      ["blank", "  ", codeOf("bob"), { kind: "refused", reason: "code-missing" }],
      ["wrong", "ABCDEF", codeOf("bob"), { kind: "refused", reason: "code-wrong" }],
      [
        "forwarded: carol's code",
        codeOf("carol"),
        codeOf("bob"),
        { kind: "refused", reason: "code-wrong" },
      ],
      [
        "none expected: fail closed",
        codeOf("bob"),
        null,
        { kind: "refused", reason: "code-wrong" },
      ],
    ] as const)("%s", ([, given, expected, outcome]) => {
      expect(decideApproval(coded, bob, given, expected)).toMatchObject(outcome);
    });

    test("who may approve is checked before the code", () => {
      expect(decideApproval(coded, erin, null, null)).toEqual({
        kind: "refused",
        reason: "not-an-approver",
      });
    });
  });

  test("a code given to a job that asks for none is ignored", () => {
    expect(decideApproval(aState(), bob, "ABCDEF", null)).toMatchObject({ kind: "approved" });
  });

  test("a state built from a policy and its resolved approvers", () => {
    const policy = anApprovalPolicy({ required: 2, confirmCode: true });

    expect(approvalStateOf(policy, ["bob", "carol"], "alice")).toEqual(
      aState({ required: 2, approvers: ["bob", "carol"], confirmCode: true }),
    );
    expect(approvalStateOf(undefined, ["bob"], "alice")).toEqual(aState({ approvers: ["bob"] }));
  });
});

describe(decideDenial.name, () => {
  test.for([
    ["an approver", aState(), bob, { kind: "denied", personId: "bob" }],
    [
      "an approver, after others approved",
      aState({ required: 2, approvals: [{ personId: "bob", at: "2026-11-26T12:00:00.000Z" }] }),
      carol,
      { kind: "denied", personId: "carol" },
    ],
    [
      "someone not among the approvers",
      aState(),
      erin,
      { kind: "refused", reason: "not-an-approver" },
    ],
    [
      "the requester (who cancels instead)",
      aState(),
      alice,
      { kind: "refused", reason: "not-an-approver" },
    ],
    [
      "the requester, even when named an approver",
      aState({ approvers: ["alice", "bob"] }),
      alice,
      { kind: "refused", reason: "not-an-approver" },
    ],
    [
      "the requester who may approve, and so deny",
      aState({ approvers: ["alice", "bob"], allowSelfApproval: true }),
      alice,
      { kind: "denied", personId: "alice" },
    ],
  ] as const)("%s", ([, state, person, outcome]) => {
    expect(decideDenial(state, person)).toEqual(outcome);
  });
});
