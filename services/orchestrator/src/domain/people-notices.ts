import { showParameters } from "@textops/contracts";
import { policyTexts, type DisplayNames } from "./policy/index.js";
import type { Run } from "./stored-run.js";

type Shown = Pick<Run, "runId" | "jobKey" | "parameters">;

const shownParameters = (run: Shown) =>
  run.parameters.length === 0 ? "" : ` (${showParameters(run.parameters)})`;

const nameOf = (names: DisplayNames, id: string) => names.get(id) ?? id;

function listed(names: readonly string[]): string {
  if (names.length <= 1) return names.join("");
  return `${names.slice(0, -1).join(", ")} and ${names[names.length - 1] ?? ""}`;
}

/** The texts of runs asked for by people of the directory (closed mode). */
export const peopleTexts = {
  /** What an approver receives: who asks, the job and every value it runs with, how to answer. */
  approvalRequest: (run: Shown, requester: string, code: string | null, required: number) => {
    const yes = code === null ? `YES ${run.runId}` : `YES ${run.runId} ${code}`;
    const needs = required > 1 ? ` It needs ${required} approvals.` : "";
    return `${requester} asks to run job "${run.jobKey}"${shownParameters(run)}, run ${run.runId}. Reply ${yes} to approve or NO ${run.runId} to deny.${needs}`;
  },
  /** What the requester is told: the run waits, and for whom. */
  waitsForApproval: (
    run: Shown,
    required: number,
    approvers: readonly string[],
    names: DisplayNames,
  ) =>
    `Run ${run.runId} for job "${run.jobKey}"${shownParameters(run)} waits for approval. ${policyTexts.needsApprovals(required, approvers, names)}`,
  progress: (
    run: Shown,
    approverId: string,
    count: number,
    required: number,
    names: DisplayNames,
  ) =>
    `${policyTexts.approvedBy(approverId, count, required, names)} Run ${run.runId} needs ${required - count} more.`,
  approvedBy: (run: Shown, approverIds: readonly string[], names: DisplayNames) =>
    `Run ${run.runId} for job "${run.jobKey}" was approved by ${listed(approverIds.map((id) => nameOf(names, id)))}.`,
  deniedBy: (run: Shown, approverId: string, names: DisplayNames) =>
    `Run ${run.runId} for job "${run.jobKey}" was denied by ${nameOf(names, approverId)}; it will not run.`,
  tooManyWrongCodes: (runId: string) =>
    `Too many wrong confirm codes for run ${runId}: your approval is no longer taken.`,
  escalated: (run: Shown, addedIds: readonly string[], names: DisplayNames) =>
    policyTexts.escalated(run.runId, addedIds, names),
  unknownSender: () => "This address is not registered with TextOps.",
  noApprovers: (jobKey: string, required: number, found: number) =>
    policyTexts.tooFewApprovers(jobKey, required, found),
};
