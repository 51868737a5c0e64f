import type { Actor, UnsignedDispatch } from "@textops/contracts";
import type { Run } from "./stored-run.js";

/** What the workers are handed: the run's recorded definition and values, and who asked and approved. */
export function dispatchOf(
  run: Run,
  attempt: number,
  at: string,
  approvingNow: Actor[] = [],
): UnsignedDispatch {
  const approvedBy = run.events.filter((e) => e.type === "RunApproved").map((e) => e.actor);
  const requestedBy = run.events.find((e) => e.type === "RunCreated")?.actor ?? "system";
  return {
    runId: run.runId,
    attempt,
    jobKey: run.jobKey,
    job: run.job,
    catalogVersion: run.catalogVersion,
    parameters: run.parameters,
    timeoutSeconds: run.timeoutSeconds,
    retryOnWorkerLoss: run.retryOnWorkerLoss,
    requestedBy,
    approvedBy: [...approvedBy, ...approvingNow],
    dispatchedAt: at,
  };
}
