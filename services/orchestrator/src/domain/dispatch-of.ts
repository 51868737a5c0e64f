import type { Actor, UnsignedDispatch } from "@textops/contracts";
import type { Run } from "./stored-run.js";

/** What the workers are handed: the run's recorded definition and values, and who asked and approved. */
export function dispatchOf(
  run: Run,
  attempt: number,
  at: string,
  approvingNow: Actor[] = [],
): UnsignedDispatch {
  // Under a policy needing several, RunApproved names everyone whose approval made it.
  const approvedBy = run.events.flatMap((e): Actor[] =>
    e.type !== "RunApproved"
      ? []
      : (e.payload.approvedBy?.map((id): Actor => `user:${id}`) ?? [e.actor]),
  );
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
