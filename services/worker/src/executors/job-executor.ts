import type { JobParameter } from "@textops/contracts";
import type { Logger } from "pino";

export interface ExecutorContext {
  parameters: JobParameter[];
  /** 1 the first time; higher when the orchestrator retries the run. */
  attempt: number;
  /** Aborted on timeout, on cancel and at the shutdown deadline; executors stop promptly. */
  signal: AbortSignal;
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

/** The value of a named parameter, or undefined when it was not given. */
export function parameter(parameters: JobParameter[], name: string): string | undefined {
  return parameters.find((p) => p.name === name)?.value;
}
