import { describe, expect, test } from "vitest";
import { createRunningJobs } from "./running-jobs.js";

const reasonOf = (signal: AbortSignal) => (signal.reason as Error).message;

describe(createRunningJobs.name, () => {
  test("a cancel aborts the job of that run and attempt only", () => {
    const running = createRunningJobs();
    const target = running.register({ runId: "K7Q2MX", attempt: 2 });
    const earlierAttempt = running.register({ runId: "K7Q2MX", attempt: 1 });
    const otherRun = running.register({ runId: "ABCDEF", attempt: 2 });

    expect(running.cancel({ runId: "K7Q2MX", attempt: 2 })).toBe(true);

    expect(target.signal.aborted).toBe(true);
    expect(reasonOf(target.signal)).toBe("cancelled");
    expect(earlierAttempt.signal.aborted).toBe(false);
    expect(otherRun.signal.aborted).toBe(false);
  });

  test("a cancel for a job not running here does nothing", () => {
    const running = createRunningJobs();
    const job = running.register({ runId: "K7Q2MX", attempt: 1 });
    job.release();

    expect(running.cancel({ runId: "K7Q2MX", attempt: 1 })).toBe(false);
    expect(job.signal.aborted).toBe(false);
    expect(running.size).toBe(0);
  });

  test("abortAll stops every job because the worker is shutting down", () => {
    const running = createRunningJobs();
    const jobs = [
      running.register({ runId: "K7Q2MX", attempt: 1 }),
      running.register({ runId: "ABCDEF", attempt: 1 }),
    ];

    expect(running.abortAll()).toBe(2);

    expect(jobs.map((job) => reasonOf(job.signal))).toEqual([
      "worker shutting down",
      "worker shutting down",
    ]);
  });

  test("two deliveries of one dispatch are both tracked and both cancelled", () => {
    const running = createRunningJobs();
    const first = running.register({ runId: "K7Q2MX", attempt: 1 });
    const second = running.register({ runId: "K7Q2MX", attempt: 1 });
    first.release();

    expect(running.cancel({ runId: "K7Q2MX", attempt: 1 })).toBe(true);
    expect(second.signal.aborted).toBe(true);
  });
});
