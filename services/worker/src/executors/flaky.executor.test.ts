import { pino } from "pino";
import { describe, expect, test } from "vitest";
import { flakyExecutor } from "./flaky.executor.js";
import { RetryableJobError } from "./job-executor.js";

const run = (attempt: number, failures?: string) =>
  flakyExecutor({
    parameters: failures === undefined ? [] : [{ name: "failures", value: failures }],
    attempt,
    signal: new AbortController().signal,
    log: pino({ level: "silent" }),
  });

describe("flaky executor", () => {
  test("fails retryably on its first attempts, then succeeds", async () => {
    await expect(run(1, "2")).rejects.toBeInstanceOf(RetryableJobError);
    await expect(run(2, "2")).rejects.toThrow("service unavailable (attempt 2)");
    await expect(run(3, "2")).resolves.toEqual({ summary: "succeeded on attempt 3" });
  });

  test("fails once by default, and refuses a nonsense count", async () => {
    await expect(run(1)).rejects.toBeInstanceOf(RetryableJobError);
    await expect(run(2)).resolves.toEqual({ summary: "succeeded on attempt 2" });
    await expect(run(1, "lots")).rejects.toThrow('failures must be a whole number, got "NaN"');
  });
});
