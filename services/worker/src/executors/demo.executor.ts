import { setTimeout as delay } from "node:timers/promises";
import type { JobExecutor } from "./job-executor.js";

/** A short pause, then success: the job to try TextOps with. */
export function demoExecutor(options: { delayMs: number }): JobExecutor {
  return async ({ signal }) => {
    await delay(options.delayMs, undefined, { signal });
    return { summary: "Job 'demo' completed successfully" };
  };
}
