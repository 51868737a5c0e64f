import { parameter, RetryableJobError, type JobExecutor } from "./job-executor.js";

/**
 * Fails with a retryable error on its first `failures` attempts (default 1),
 * then succeeds: a stand-in for a job whose service is briefly unavailable.
 */
export const flakyExecutor: JobExecutor = ({ parameters, attempt }) => {
  const failures = Number(parameter(parameters, "failures") ?? "1");
  if (!Number.isInteger(failures) || failures < 0) {
    return Promise.reject(new Error(`failures must be a whole number, got "${String(failures)}"`));
  }
  if (attempt <= failures) {
    return Promise.reject(new RetryableJobError(`service unavailable (attempt ${attempt})`));
  }
  return Promise.resolve({ summary: `succeeded on attempt ${attempt}` });
};
