import type { JobPolicy } from "./create-run.js";

/** How long each built-in job may run and whether it is safe to run again. */
const KNOWN: Record<string, JobPolicy> = {
  demo: { timeoutSeconds: 60, retryOnWorkerLoss: true, maxAttempts: 3 },
  echo: { timeoutSeconds: 60, retryOnWorkerLoss: true, maxAttempts: 3 },
  sleep: { timeoutSeconds: 3600, retryOnWorkerLoss: true, maxAttempts: 3 },
  fail: { timeoutSeconds: 60, retryOnWorkerLoss: false, maxAttempts: 3 },
  flaky: { timeoutSeconds: 60, retryOnWorkerLoss: true, maxAttempts: 5 },
};

/** Jobs nobody described are given a timeout and are not run twice after a lost worker. */
const DEFAULT_POLICY: JobPolicy = { timeoutSeconds: 300, retryOnWorkerLoss: false, maxAttempts: 3 };

export function jobPolicy(jobKey: string): JobPolicy {
  return KNOWN[jobKey] ?? DEFAULT_POLICY;
}
