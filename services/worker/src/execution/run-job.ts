import type { ExecutionDispatch, ExecutionOutcome } from "@textops/contracts";
import { errorMessage } from "@textops/messaging";
import type { Logger } from "pino";
import { RetryableJobError, type JobExecutor, type OutputSink } from "../executors/job-executor.js";
import { JobStopped } from "./job-stopped.js";

export interface JobRun {
  executor: JobExecutor;
  /** What to run: the job, its values, its attempt, its timeout. */
  dispatch: ExecutionDispatch;
  /** Aborted from outside (cancel, shutdown); its reason is a JobStopped. */
  signal: AbortSignal;
  output: OutputSink;
  log: Logger;
  /**
   * Once aborted, how long to wait for the executor to settle (a shell job's
   * process group to be gone) before reporting the run ended anyway.
   */
  settleMs?: number;
}

const DEFAULT_SETTLE_MS = 15_000;

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
  const { dispatch } = job;
  const timer = setTimeout(
    () => stop(JobStopped.timedOut(dispatch.timeoutSeconds)),
    dispatch.timeoutSeconds * 1000,
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
    const executing = job.executor({
      runId: dispatch.runId,
      jobKey: dispatch.jobKey,
      attempt: dispatch.attempt,
      parameters: dispatch.parameters,
      requestedBy: dispatch.requestedBy,
      approvedBy: dispatch.approvedBy,
      signal: controller.signal,
      output: job.output,
      log: job.log,
    });
    const settleMs = job.settleMs ?? DEFAULT_SETTLE_MS;
    const { summary } = await Promise.race([
      executing,
      rejectWhenAborted(controller.signal, executing, settleMs),
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

/** Rejects with the abort's reason once the executor settled after it, or `settleMs` later. */
function rejectWhenAborted(
  signal: AbortSignal,
  executing: Promise<unknown>,
  settleMs: number,
): Promise<never> {
  return new Promise((_, reject) => {
    const fail = () => {
      const reason = signal.reason instanceof Error ? signal.reason : new Error("aborted");
      if (settleMs <= 0) {
        reject(reason);
        return;
      }
      let timer: NodeJS.Timeout | undefined;
      const gaveUp = new Promise<void>((resolve) => (timer = setTimeout(resolve, settleMs)));
      void Promise.race([executing.then(noop, noop), gaveUp]).then(() => {
        clearTimeout(timer);
        reject(reason);
      });
    };
    if (signal.aborted) fail();
    else signal.addEventListener("abort", fail, { once: true });
  });
}

const noop = () => {};

function failureSummary(signal: AbortSignal, error: unknown): string {
  if (signal.aborted && signal.reason instanceof JobStopped) return signal.reason.message;
  return errorMessage(error);
}
