import { describe, expect, test } from "vitest";
import { anExecutorContext } from "./executor.fixtures.js";
import { failExecutor } from "./fail.executor.js";

describe("failExecutor", () => {
  test("fails on purpose", async () => {
    await expect(failExecutor(anExecutorContext())).rejects.toThrow("Job 'fail' failed on purpose");
  });

  test("fails with the reason it is given", async () => {
    const parameters = [{ name: "reason", value: "disk full" }];

    await expect(failExecutor(anExecutorContext({ parameters }))).rejects.toThrow("disk full");
  });
});
