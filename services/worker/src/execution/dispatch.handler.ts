import type { ExecutionDispatch } from "@textops/contracts";
import { dispatchSignatureValid, PermanentError, type Handler } from "@textops/messaging";
import type { Logger } from "pino";
import type { ExecutorChoice } from "../executors/select-executor.js";
import type { AttemptOutput, ExecutionClaims, RunOutputs } from "./ports.js";
import {
  createExecutionReporter,
  type EventPublisher,
  type ExecutionReporter,
} from "./execution.reporter.js";
import { startHeartbeat } from "./heartbeat.js";
import { runJob, type JobResult } from "./run-job.js";
import type { RunningJobs } from "./running-jobs.js";

export interface DispatchHandlerDeps {
  publisher: EventPublisher;
  claims: ExecutionClaims;
  /** The executor for a job's definition, or why this worker will not run it. */
  executorFor: (job: ExecutionDispatch["job"]) => ExecutorChoice;
  outputs: RunOutputs;
  /** Dispatches not signed with it are dead-lettered, never run. */
  dispatchSecret: string;
  running: RunningJobs;
  workerId: string;
  heartbeatSeconds: number;
  now?: () => Date;
}

/**
 * Handles one ExecutionDispatch: checks its signature (a forged or altered
 * one is dead-lettered with the reason and runs nothing), reports started,
 * runs the job with heartbeats, reports completed. It resolves only once the
 * completion is confirmed by the broker, so the dispatch is acked only then.
 */
export function createDispatchHandler(deps: DispatchHandlerDeps): Handler<"ExecutionDispatch"> {
  const now = deps.now ?? (() => new Date());
  return async (delivery, parentLog) => {
    const dispatch = delivery.payload;
    const log = parentLog.child({ runId: dispatch.runId, attempt: dispatch.attempt });
    if (!dispatchSignatureValid(dispatch, deps.dispatchSecret)) {
      throw new PermanentError(
        "dispatch signature does not verify: not signed with this worker's DISPATCH_SECRET, or altered since",
      );
    }
    const report = createExecutionReporter({
      publisher: deps.publisher,
      dispatch,
      dispatchMessageId: delivery.envelope.messageId,
      workerId: deps.workerId,
      now,
    });
    const claim = await deps.claims.claim(dispatch.runId, dispatch.attempt, deps.workerId);
    if (claim === "taken" && delivery.previousDeliveries === 0) {
      log.info("dispatch published again for an attempt already taken; not running it twice");
      return;
    }
    if (claim === "taken") {
      // Its worker died holding it; the orchestrator decides whether to run a new attempt.
      log.warn("dispatch redelivered after a worker was lost; reporting the attempt lost");
      await report.completed({ outcome: "Lost", summary: "worker lost" }, 0);
      return;
    }
    // Registered before anything is published, so an early cancel is not missed.
    const job = deps.running.register(dispatch);
    const output = deps.outputs.open(dispatch.runId, dispatch.attempt);
    try {
      const startedAt = now().getTime();
      await report.started();
      const result = await withHeartbeat(deps.heartbeatSeconds, report, log, () =>
        execute(deps.executorFor, dispatch, { signal: job.signal, output, log }),
      );
      await output.close();
      log.info({ outcome: result.outcome, summary: result.summary }, "job ended");
      await report.completed(result, now().getTime() - startedAt);
    } finally {
      job.release();
    }
  };
}

async function withHeartbeat<T>(
  seconds: number,
  report: ExecutionReporter,
  log: Logger,
  work: () => Promise<T>,
): Promise<T> {
  const heartbeat = startHeartbeat({
    intervalMs: seconds * 1000,
    beat: () => report.heartbeat(),
    log,
  });
  try {
    return await work();
  } finally {
    await heartbeat.stop();
  }
}

function execute(
  executorFor: DispatchHandlerDeps["executorFor"],
  dispatch: ExecutionDispatch,
  around: { signal: AbortSignal; output: AttemptOutput; log: Logger },
): Promise<JobResult> {
  const choice = executorFor(dispatch.job);
  if (!choice.ok) {
    around.log.warn({ reason: choice.reason }, "not running this job here");
    return Promise.resolve({ outcome: "Failed", summary: choice.reason });
  }
  around.log.info({ jobKey: dispatch.jobKey, kind: dispatch.job.executor.kind }, "running job");
  return runJob({ executor: choice.executor, dispatch, ...around });
}
