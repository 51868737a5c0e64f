import type { RunEvent } from "@textops/contracts";
import {
  approvalStateOf,
  decideApproval,
  type ApprovalDecision,
  type ApprovalState,
  type PolicyPerson,
} from "./policy/index.js";
import type { Run } from "./stored-run.js";

/** Wrong confirm codes one approver may send for one run; after that their yes is refused. */
export const MAX_WRONG_CODES = 5;

type Of<T extends RunEvent["type"]> = Extract<RunEvent, { type: T }>;
const eventsOf = <T extends RunEvent["type"]>(run: Pick<Run, "events">, type: T) =>
  run.events.filter((e): e is Of<T> => e.type === type);

/** Whether the run was asked for by a person of the directory: its policy then applies. */
export const underPolicy = (run: Pick<Run, "requestedBy">): run is Run & { requestedBy: string } =>
  run.requestedBy !== undefined;

/** Who may approve now: those asked at first, then those escalation added, each once. */
export function currentApprovers(run: Pick<Run, "approvers" | "events">): string[] {
  const added = eventsOf(run, "ApprovalEscalated").flatMap((e) => e.payload.added);
  return [...new Set([...(run.approvers ?? []), ...added])];
}

export const escalated = (run: Pick<Run, "events">) =>
  eventsOf(run, "ApprovalEscalated").length > 0;

/** Where a run asked for by a person stands: its recorded policy, the approvers, the approvals given. */
export function approvalStateOfRun(run: Run & { requestedBy: string }): ApprovalState {
  return {
    ...approvalStateOf(run.job.approval, currentApprovers(run), run.requestedBy),
    approvals: eventsOf(run, "ApprovalGiven").map((e) => ({
      personId: e.payload.person,
      at: e.at,
    })),
  };
}

export const wrongCodes = (run: Pick<Run, "events">, personId: string) =>
  eventsOf(run, "ConfirmCodeRefused").filter((e) => e.payload.person === personId).length;

/** A yes as the run's policy takes it, or "locked" once this approver sent too many wrong codes. */
export type ApprovalOutcome = ApprovalDecision | { kind: "locked" };

export function approvalOutcome(
  run: Run & { requestedBy: string },
  person: PolicyPerson,
  givenCode: string | null,
  expectedCode: string | null,
): ApprovalOutcome {
  if (wrongCodes(run, person.id) >= MAX_WRONG_CODES) return { kind: "locked" };
  return decideApproval(approvalStateOfRun(run), person, givenCode, expectedCode);
}

/**
 * Whether the run waits for this person's decision: it awaits approval, they
 * are among its current approvers, and they have not approved it yet.
 */
export function waitsForDecisionOf(
  run: Pick<Run, "status" | "approvers" | "events">,
  personId: string,
): boolean {
  return (
    run.status === "AwaitingApproval" &&
    currentApprovers(run).includes(personId) &&
    !eventsOf(run, "ApprovalGiven").some((e) => e.payload.person === personId)
  );
}
