import type { Handler } from "@textops/messaging";
import type { RunningJobs } from "./running-jobs.js";

/**
 * Handles ExecutionCancelRequested, which every worker receives: the one
 * running that (runId, attempt) aborts it; the others have nothing to do.
 */
export function createCancelHandler(running: RunningJobs): Handler<"ExecutionCancelRequested"> {
  return (delivery, log) => {
    const { runId, attempt } = delivery.payload;
    const found = running.cancel({ runId, attempt });
    log.info({ runId, attempt, found }, found ? "cancelling job" : "cancel for a job not run here");
    return Promise.resolve();
  };
}
