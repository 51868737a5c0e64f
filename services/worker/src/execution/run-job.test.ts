import { pino } from "pino";
import { afterEach, describe, expect, test, vi } from "vitest";
import type { ExecutionDispatch } from "@textops/contracts";
import { discardOutput, RetryableJobError, type JobExecutor } from "../executors/job-executor.js";
import { aDispatch } from "../testing/worker.fixtures.js";
import { JobStopped } from "./job-stopped.js";
import { runJob, type JobRun } from "./run-job.js";

const log = pino({ level: "silent" });

/** Runs until its signal aborts, then fails the way a well-behaved executor does. */
const waitsForAbort: JobExecutor = ({ signal }) =>
  new Promise((_, reject) => {
    signal.addEventListener("abort", () => reject(new Error("aborted")), { once: true });
  });

/** Never settles and ignores its signal. */
const ignoresAbort: JobExecutor = () => new Promise(() => {});

type JobFields = Partial<Omit<JobRun, "dispatch">> &
  Partial<Pick<ExecutionDispatch, "parameters" | "timeoutSeconds">>;

const aJob = ({ parameters = [], timeoutSeconds = 60, ...fields }: JobFields): JobRun => ({
  executor: () => Promise.resolve({ summary: "done" }),
  dispatch: aDispatch({ parameters, timeoutSeconds }),
  signal: new AbortController().signal,
  output: discardOutput,
  log,
  settleMs: 0,
  ...fields,
});

describe(runJob.name, () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  test("an executor that resolves succeeds with its summary", async () => {
    expect(await runJob(aJob({}))).toEqual({ outcome: "Succeeded", summary: "done" });
  });

  test("an executor that throws fails with the error's message", async () => {
    const executor = () => Promise.reject(new Error("disk full"));

    expect(await runJob(aJob({ executor }))).toEqual({ outcome: "Failed", summary: "disk full" });
  });

  test("a cancelled job is awaited until it has stopped, within settleMs", async () => {
    const controller = new AbortController();
    let stopped = false;
    const slowToStop: JobExecutor = ({ signal }) =>
      new Promise((_, reject) => {
        signal.addEventListener("abort", () => {
          setTimeout(() => {
            stopped = true;
            reject(new Error("stopped"));
          }, 30);
        });
      });
    const result = runJob(
      aJob({ executor: slowToStop, signal: controller.signal, settleMs: 5000 }),
    );

    controller.abort(JobStopped.cancelled());

    expect(await result).toEqual({ outcome: "Failed", summary: "cancelled" });
    expect(stopped).toBe(true);
  });

  test("the executor gets the run, its values and where its output goes", async () => {
    const executor: JobExecutor = (ctx) =>
      Promise.resolve({
        summary: `${ctx.runId} ${ctx.jobKey} ${ctx.attempt} ${ctx.requestedBy} ${ctx.approvedBy.join(",")}`,
      });

    expect((await runJob(aJob({ executor }))).summary).toBe(
      "K7Q2MX demo 1 user:dev:alice user:dev:bob",
    );
  });

  test("the executor gets the parameters", async () => {
    const parameters = [{ name: "env", value: "prod" }];
    const executor: JobExecutor = (ctx) =>
      Promise.resolve({ summary: JSON.stringify(ctx.parameters) });

    const result = await runJob(aJob({ executor, parameters }));

    expect(result.summary).toBe(JSON.stringify(parameters));
  });

  test.each([
    ["stops", waitsForAbort],
    ["ignores its signal", ignoresAbort],
  ])("a job that outlives its timeout and %s fails as timed out", async (_, executor) => {
    vi.useFakeTimers();
    const result = runJob(aJob({ executor, timeoutSeconds: 2 }));

    await vi.advanceTimersByTimeAsync(2000);

    expect(await result).toEqual({ outcome: "Failed", summary: "timed out after 2 s" });
  });

  test.each([
    ["stops", waitsForAbort],
    ["ignores its signal", ignoresAbort],
  ])("a cancelled job that %s fails as cancelled", async (_, executor) => {
    const controller = new AbortController();
    const result = runJob(aJob({ executor, signal: controller.signal }));

    controller.abort(JobStopped.cancelled());

    expect(await result).toEqual({ outcome: "Failed", summary: "cancelled" });
  });

  test("a job cancelled before it began does not run", async () => {
    let ran = false;
    const executor: JobExecutor = () => {
      ran = true;
      return Promise.resolve({ summary: "done" });
    };

    const result = await runJob(
      aJob({ executor, signal: AbortSignal.abort(JobStopped.cancelled()) }),
    );

    expect(result).toEqual({ outcome: "Failed", summary: "cancelled" });
    expect(ran).toBe(false);
  });
});

describe("retryable failures", () => {
  test("a RetryableJobError is a retryable failure; any other error is not", async () => {
    const retryable = await runJob(
      aJob({ executor: () => Promise.reject(new RetryableJobError("busy")) }),
    );
    const plain = await runJob(aJob({ executor: () => Promise.reject(new Error("broken")) }));

    expect(retryable).toEqual({ outcome: "Failed", summary: "busy", retryable: true });
    expect(plain).toEqual({ outcome: "Failed", summary: "broken" });
  });
});
