import { describe, expect, test } from "vitest";
import type { ParameterValue } from "@textops/contracts";
import { anExecutorContext } from "./executor.fixtures.js";
import { flakyExecutor } from "./flaky.executor.js";
import { RetryableJobError } from "./job-executor.js";

const run = (attempt: number, failures?: ParameterValue["value"]) =>
  flakyExecutor(
    anExecutorContext({
      parameters: failures === undefined ? [] : [{ name: "failures", value: failures }],
      attempt,
    }),
  );

describe("flaky executor", () => {
  test("fails retryably on its first attempts, then succeeds", async () => {
    await expect(run(1, 2)).rejects.toBeInstanceOf(RetryableJobError);
    await expect(run(2, 2)).rejects.toThrow("service unavailable (attempt 2)");
    await expect(run(3, 2)).resolves.toEqual({ summary: "succeeded on attempt 3" });
  });

  test("takes the count as text too", async () => {
    await expect(run(1, "1")).rejects.toBeInstanceOf(RetryableJobError);
    await expect(run(2, "1")).resolves.toEqual({ summary: "succeeded on attempt 2" });
  });

  test("fails once by default, and refuses a nonsense count", async () => {
    await expect(run(1)).rejects.toBeInstanceOf(RetryableJobError);
    await expect(run(2)).resolves.toEqual({ summary: "succeeded on attempt 2" });
    await expect(run(1, "lots")).rejects.toThrow('failures must be a whole number, got "NaN"');
  });
});
