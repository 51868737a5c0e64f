import type { JobPolicy } from "../domain/create-run.js";

/** How long each built-in job may run and whether it is safe to run again. */
const KNOWN: Record<string, JobPolicy> = {
  demo: { timeoutSeconds: 60, retryOnWorkerLoss: true },
  echo: { timeoutSeconds: 60, retryOnWorkerLoss: true },
  sleep: { timeoutSeconds: 3600, retryOnWorkerLoss: true },
  fail: { timeoutSeconds: 60, retryOnWorkerLoss: false },
};

/** Jobs nobody described are given a timeout and are not run twice. */
const DEFAULT_POLICY: JobPolicy = { timeoutSeconds: 300, retryOnWorkerLoss: false };

export function jobPolicy(jobKey: string): JobPolicy {
  return KNOWN[jobKey] ?? DEFAULT_POLICY;
}
