import type { ApprovalState } from "./approval-state.js";
import { approvalCount } from "./approval-state.js";
import { codesMatch } from "./confirm-code.js";
import type { PolicyPerson } from "./policy-person.js";

/** Why a yes or a no is not taken: a closed set, each with its text in policy-texts.ts. */
export type RefusalReason = "self-approval" | "not-an-approver" | "code-missing" | "code-wrong";

export type Refused = { kind: "refused"; reason: RefusalReason };

export type ApprovalDecision =
  | {
      kind: "approved";
      personId: string;
      /** Distinct approvals with this one. */
      count: number;
      required: number;
      /** `count` reached `required`: the run may go. */
      complete: boolean;
    }
  /** This person's yes is already counted: not an error, and not counted again. */
  | { kind: "already-approved"; count: number; required: number }
  | Refused;

export type DenialDecision = { kind: "denied"; personId: string } | Refused;

/**
 * What a yes from `person` does to a run in `state`. `givenCode` is the code
 * the reply carried, `expectedCode` the one derived for this person
 * (confirmCodeFor); both are read only when the policy asks for a code, and a
 * missing expected code then refuses (fail closed). A code given to a job
 * that asks for none is ignored.
 */
export function decideApproval(
  state: ApprovalState,
  person: PolicyPerson,
  givenCode: string | null,
  expectedCode: string | null,
): ApprovalDecision {
  const count = approvalCount(state);
  const { required } = state;
  if (state.approvals.some((approval) => approval.personId === person.id)) {
    return { kind: "already-approved", count, required };
  }
  if (person.id === state.requesterId && !state.allowSelfApproval) return refused("self-approval");
  if (!state.approvers.includes(person.id)) return refused("not-an-approver");
  if (state.confirmCode) {
    if (givenCode === null || givenCode.trim() === "") return refused("code-missing");
    if (expectedCode === null || !codesMatch(givenCode, expectedCode)) return refused("code-wrong");
  }
  return {
    kind: "approved",
    personId: person.id,
    count: count + 1,
    required,
    complete: count + 1 >= required,
  };
}

/**
 * What a no from `person` does: any one eligible approver denies the run,
 * whatever the approvals so far. The requester says no only as an approver
 * (allowSelfApproval); otherwise they withdraw their run with `cancel`, which
 * the timeline keeps apart from a denial, so `no` from them is refused.
 */
export function decideDenial(state: ApprovalState, person: PolicyPerson): DenialDecision {
  const selfBarred = person.id === state.requesterId && !state.allowSelfApproval;
  if (selfBarred || !state.approvers.includes(person.id)) return refused("not-an-approver");
  return { kind: "denied", personId: person.id };
}

const refused = (reason: RefusalReason): Refused => ({ kind: "refused", reason });
