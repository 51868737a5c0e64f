import type { ParameterValue } from "@textops/contracts";
import type { Logger } from "pino";

/** Where a job's output goes as it comes (stdout and stderr, a response body). Never throws. */
export interface OutputSink {
  write(text: string): void;
}

/** For callers that keep no output. */
export const discardOutput: OutputSink = { write: () => undefined };

export interface ExecutorContext {
  runId: string;
  jobKey: string;
  /** 1 the first time; higher when the orchestrator retries the run. */
  attempt: number;
  /** Typed as the catalog defines them, defaults applied. */
  parameters: readonly ParameterValue[];
  /** Timeline actors, e.g. `user:dev:alice`. */
  requestedBy: string;
  approvedBy: readonly string[];
  /** Aborted on timeout, on cancel and at the shutdown deadline; executors stop promptly. */
  signal: AbortSignal;
  output: OutputSink;
  log: Logger;
}

export interface ExecutorResult {
  summary: string;
}

/**
 * A failure that may pass if tried again later (a busy service, an upstream
 * timeout). The orchestrator retries the run with backoff, up to its limit.
 */
export class RetryableJobError extends Error {
  override readonly name = "RetryableJobError";
}

/**
 * Runs one job. Resolving means Succeeded; throwing means Failed with the
 * error's message (retryable when it is a RetryableJobError).
 */
export type JobExecutor = (ctx: ExecutorContext) => Promise<ExecutorResult>;

/** The value of a named parameter as text, or undefined when it was not given. */
export function parameter(parameters: readonly ParameterValue[], name: string): string | undefined {
  const found = parameters.find((p) => p.name === name);
  return found === undefined ? undefined : String(found.value);
}

/** What an executor throws once its signal aborted: the signal's reason, so the caller reports it. */
export function abortReason(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new Error("aborted");
}
