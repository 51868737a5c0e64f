import type { ExecutionDispatch } from "@textops/contracts";
import type { Publisher } from "@textops/messaging";
import type { JobResult } from "./run-job.js";

/** The part of the messaging publisher the worker uses. */
export type EventPublisher = Pick<Publisher, "publish">;

/** ExecutionCompleted's summary is at most this long. */
const MAX_SUMMARY_LENGTH = 2000;

export interface ExecutionReporter {
  started(): Promise<void>;
  heartbeat(): Promise<void>;
  completed(result: JobResult, durationMs: number): Promise<void>;
}

/**
 * Publishes one attempt's started / heartbeat / completed messages, each
 * confirmed by the broker, correlated by run id and caused by the dispatch.
 */
export function createExecutionReporter(options: {
  publisher: EventPublisher;
  dispatch: ExecutionDispatch;
  dispatchMessageId: string;
  workerId: string;
  now: () => Date;
}): ExecutionReporter {
  const { publisher, workerId } = options;
  const { runId, attempt } = options.dispatch;
  const extras = { correlationId: runId, causationId: options.dispatchMessageId };
  const at = () => options.now().toISOString();

  return {
    async started() {
      await publisher.publish(
        "ExecutionStarted",
        { runId, attempt, workerId, startedAt: at() },
        extras,
      );
    },
    async heartbeat() {
      await publisher.publish("ExecutionHeartbeat", { runId, attempt, workerId, at: at() }, extras);
    },
    async completed(result, durationMs) {
      const payload = {
        runId,
        attempt,
        workerId,
        outcome: result.outcome,
        summary: result.summary.slice(0, MAX_SUMMARY_LENGTH),
        durationMs: Math.max(0, Math.round(durationMs)),
        completedAt: at(),
        ...(result.retryable ? { retryable: true } : {}),
      };
      await publisher.publish("ExecutionCompleted", payload, extras);
    },
  };
}
