import { showParameters } from "@textops/contracts";
import { listed } from "./notices.js";
import { policyTexts, type DisplayNames } from "./policy/index.js";
import type { Person } from "./requester.js";
import type { Run } from "./stored-run.js";

type Shown = Pick<Run, "runId" | "jobKey" | "parameters">;

const shownParameters = (run: Shown) =>
  run.parameters.length === 0 ? "" : ` (${showParameters(run.parameters)})`;

const nameOf = (names: DisplayNames, id: string) => names.get(id) ?? id;

/** How long ago, as a person says it: just now, 3 min ago, 5 h ago, 2 days ago. */
export function ago(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 1) return "just now";
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ago`;
  return `${Math.floor(hours / 24)} days ago`;
}

/** One of a person's addresses as `whoami` lists it. */
export interface ShownAddress {
  address: string;
  /** Linked with `link`, not in the directory's file. */
  linked: boolean;
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
  /** `whoami`, `pending`, `runs`, bare yes/no and `link` in open mode. */
  needsDirectory: () => "That command needs a directory of people; TextOps runs without one here.",
  whoAmI: (person: Person, addresses: readonly ShownAddress[]) => {
    const roles = person.roles.length === 0 ? "no roles" : `roles ${person.roles.join(", ")}`;
    const shown = addresses.map((a) => (a.linked ? `${a.address} (linked)` : a.address));
    return `You are ${person.name} (${person.id}), ${roles}. Addresses: ${shown.join(", ")}.`;
  },
  /** One line of `pending`: the run, who asked, how long ago. */
  pendingLine: (run: Shown, requester: string, ageMs: number) =>
    `${run.runId} ${run.jobKey}${shownParameters(run)} from ${requester}, ${ago(ageMs)}`,
  nothingWaits: () => "Nothing waits for your decision.",
  /** One line of `runs`. */
  runLine: (run: Pick<Run, "runId" | "jobKey" | "status">) =>
    `${run.runId} ${run.jobKey} ${run.status}`,
  noRuns: () => "You have no runs yet.",
  /** A bare yes or no with more than one run waiting: which, and how to pick one. */
  severalWait: (runIds: readonly string[], keyword: "YES" | "NO") =>
    `Several runs wait for your decision: ${runIds.join(", ")}. Reply ${keyword} <id>.`,
  linkCode: (code: string, minutes: number) =>
    `Your link code is ${code} (valid ${minutes} minutes). Send LINK ${code} from the address to link.`,
  /** To the address just linked. */
  linked: (address: string, name: string) => `Linked ${address} to ${name}.`,
  /** To the address `link` was sent from, once another is linked with its code. */
  linkedNotice: (address: string) =>
    `${address} is now linked to you. If this was not you, tell an admin.`,
  linkCodeWrong: () => "That link code is not right.",
  linkCodeNoLongerValid: () =>
    "That code is no longer valid; send LINK again from a known address.",
  addressTaken: () => "That address already belongs to someone.",
};
