import type { ExecutionOutcome, JobParameter } from "@textops/contracts";
import { errorMessage } from "@textops/messaging";
import type { Logger } from "pino";
import { RetryableJobError, type JobExecutor } from "../executors/job-executor.js";
import { JobStopped } from "./job-stopped.js";

export interface JobRun {
  executor: JobExecutor;
  parameters: JobParameter[];
  attempt: number;
  timeoutSeconds: number;
  /** Aborted from outside (cancel, shutdown); its reason is a JobStopped. */
  signal: AbortSignal;
  log: Logger;
}

export interface JobResult {
  outcome: ExecutionOutcome;
  summary: string;
  retryable?: boolean;
}

/**
 * Runs an executor until it settles, its timeout passes or `signal` aborts.
 * Never throws: every ending is a result. An executor that ignores its
 * signal is left behind once aborted; the run has ended for TextOps.
 */
export async function runJob(job: JobRun): Promise<JobResult> {
  const controller = new AbortController();
  const stop = (reason: unknown) => controller.abort(reason);
  const timer = setTimeout(
    () => stop(JobStopped.timedOut(job.timeoutSeconds)),
    job.timeoutSeconds * 1000,
  );
  const onAbort = () => stop(job.signal.reason);
  job.signal.addEventListener("abort", onAbort, { once: true });
  if (job.signal.aborted) onAbort();
  try {
    if (controller.signal.aborted) {
      return {
        outcome: "Failed",
        summary: failureSummary(controller.signal, controller.signal.reason),
      };
    }
    const { summary } = await Promise.race([
      job.executor({
        parameters: job.parameters,
        attempt: job.attempt,
        signal: controller.signal,
        log: job.log,
      }),
      rejectWhenAborted(controller.signal),
    ]);
    return { outcome: "Succeeded", summary };
  } catch (error) {
    const summary = failureSummary(controller.signal, error);
    const retryable = error instanceof RetryableJobError && !controller.signal.aborted;
    return { outcome: "Failed", summary, ...(retryable ? { retryable } : {}) };
  } finally {
    clearTimeout(timer);
    job.signal.removeEventListener("abort", onAbort);
  }
}

function rejectWhenAborted(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    const fail = () =>
      reject(signal.reason instanceof Error ? signal.reason : new Error("aborted"));
    if (signal.aborted) fail();
    else signal.addEventListener("abort", fail, { once: true });
  });
}

function failureSummary(signal: AbortSignal, error: unknown): string {
  if (signal.aborted && signal.reason instanceof JobStopped) return signal.reason.message;
  return errorMessage(error);
}
