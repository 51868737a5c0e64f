import type { ExecutionDispatch } from "@textops/contracts";
import type { Handler } from "@textops/messaging";
import type { Logger } from "pino";
import type { ExecutionClaims } from "./ports.js";
import type { ExecutorRegistry } from "../executors/registry.js";
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
  executors: ExecutorRegistry;
  running: RunningJobs;
  workerId: string;
  heartbeatSeconds: number;
  now?: () => Date;
}

/**
 * Handles one ExecutionDispatch: reports started, runs the job with
 * heartbeats, reports completed. It resolves only once the completion is
 * confirmed by the broker, so the dispatch is acked only then.
 */
export function createDispatchHandler(deps: DispatchHandlerDeps): Handler<"ExecutionDispatch"> {
  const now = deps.now ?? (() => new Date());
  return async (delivery, parentLog) => {
    const dispatch = delivery.payload;
    const log = parentLog.child({ runId: dispatch.runId, attempt: dispatch.attempt });
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
    try {
      const startedAt = now().getTime();
      await report.started();
      const result = await withHeartbeat(deps.heartbeatSeconds, report, log, () =>
        execute(deps.executors, dispatch, job.signal, log),
      );
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
  executors: ExecutorRegistry,
  dispatch: ExecutionDispatch,
  signal: AbortSignal,
  log: Logger,
): Promise<JobResult> {
  const executor = executors.get(dispatch.jobKey);
  if (!executor) {
    return Promise.resolve({
      outcome: "Failed",
      summary: `no executor for job "${dispatch.jobKey}"`,
    });
  }
  log.info({ jobKey: dispatch.jobKey }, "running job");
  return runJob({
    executor,
    parameters: dispatch.parameters,
    attempt: dispatch.attempt,
    timeoutSeconds: dispatch.timeoutSeconds,
    signal,
    log,
  });
}
