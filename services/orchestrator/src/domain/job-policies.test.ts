import { describe, expect, test } from "vitest";
import { jobPolicy } from "./job-policies.js";

describe(jobPolicy.name, () => {
  test("a built-in job has its own policy", () => {
    expect(jobPolicy("sleep")).toEqual({
      timeoutSeconds: 3600,
      retryOnWorkerLoss: true,
      maxAttempts: 3,
    });
    expect(jobPolicy("fail").retryOnWorkerLoss).toBe(false);
    expect(jobPolicy("flaky").maxAttempts).toBe(5);
  });

  test("a job nobody described gets a timeout and is not run again after a lost worker", () => {
    expect(jobPolicy("backup")).toEqual({
      timeoutSeconds: 300,
      retryOnWorkerLoss: false,
      maxAttempts: 3,
    });
  });
});
