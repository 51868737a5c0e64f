import type { RefusalReason } from "./decide-approval.js";

/** Display names by person id; an id without one shows as itself. */
export type DisplayNames = ReadonlyMap<string, string>;

const nameOf = (names: DisplayNames, id: string) => names.get(id) ?? id;
const namesOf = (names: DisplayNames, ids: readonly string[]) =>
  ids.map((id) => nameOf(names, id)).join(", ");
const approvals = (count: number) => `${count} ${count === 1 ? "approval" : "approvals"}`;

/**
 * The texts of the approval policy: refusals and progress, short enough for
 * one SMS, in the tone of notices.ts.
 */
export const policyTexts = {
  mayNotRun: (jobKey: string, reason: string) => `You may not run job "${jobKey}": ${reason}.`,
  tooFewApprovers: (jobKey: string, required: number, found: number) =>
    `Job "${jobKey}" was not run: it needs ${approvals(required)} and only ${found} ${found === 1 ? "person" : "people"} may give one.`,
  needsApprovals: (required: number, approverIds: readonly string[], names: DisplayNames) =>
    `Needs ${approvals(required)} from: ${namesOf(names, approverIds)}.`,
  approvedBy: (approverId: string, count: number, required: number, names: DisplayNames) =>
    `Approved by ${nameOf(names, approverId)} (${count} of ${required}).`,
  alreadyApproved: (runId: string) => `You already approved run ${runId}.`,
  selfApproval: (runId: string) => `You asked for run ${runId}; someone else must approve it.`,
  notAnApprover: (runId: string) => `You are not an approver of run ${runId}.`,
  codeMissing: (runId: string) =>
    `Run ${runId} needs your confirm code: reply YES ${runId} <code>.`,
  codeWrong: (runId: string) => `That confirm code is not right for run ${runId}.`,
  withdrawInstead: (runId: string) => `To withdraw run ${runId}, send CANCEL ${runId}.`,
  confirmCode: (runId: string, code: string) =>
    `Your confirm code for run ${runId} is ${code}: reply YES ${runId} ${code} to approve.`,
  escalated: (runId: string, addedIds: readonly string[], names: DisplayNames) =>
    `Run ${runId} still waits for approval; it now goes to ${namesOf(names, addedIds)} as well.`,
  autoApproved: (runId: string, jobKey: string) =>
    `Run ${runId} for job "${jobKey}" is approved by policy.`,
};

/** The text that answers a refused yes or no. */
export function refusalText(reason: RefusalReason, runId: string): string {
  switch (reason) {
    case "self-approval":
      return policyTexts.selfApproval(runId);
    case "not-an-approver":
      return policyTexts.notAnApprover(runId);
    case "code-missing":
      return policyTexts.codeMissing(runId);
    case "code-wrong":
      return policyTexts.codeWrong(runId);
  }
}
