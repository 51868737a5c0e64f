import { NonEmpty, Timestamp, type ApprovalPolicy } from "@textops/contracts";
import { z } from "zod";

/** One person's yes. */
export const Approval = z.object({ personId: NonEmpty, at: Timestamp });
export type Approval = z.infer<typeof Approval>;

/**
 * Where a run's approval stands: what its policy asks, who may give it now
 * (escalation included) and who has. A schema, so a run can store it.
 */
export const ApprovalState = z.object({
  required: z.number().int().min(1),
  /** Person ids of the eligible approvers, escalation included. */
  approvers: z.array(NonEmpty),
  approvals: z.array(Approval),
  requesterId: NonEmpty,
  allowSelfApproval: z.boolean(),
  confirmCode: z.boolean(),
});
export type ApprovalState = z.infer<typeof ApprovalState>;

/** The state of a run just asked for: no approval yet. `undefined` is the default policy. */
export function approvalStateOf(
  approval: ApprovalPolicy | undefined,
  approvers: readonly string[],
  requesterId: string,
): ApprovalState {
  return {
    required: approval?.required ?? 1,
    approvers: [...approvers],
    approvals: [],
    requesterId,
    allowSelfApproval: approval?.allowSelfApproval ?? false,
    confirmCode: approval?.confirmCode ?? false,
  };
}

/** The distinct people who approved so far. */
export function approvalCount(state: Pick<ApprovalState, "approvals">): number {
  return new Set(state.approvals.map((approval) => approval.personId)).size;
}
