import { pino } from "pino";
import { describe, expect, test } from "vitest";
import { failExecutor } from "./fail.executor.js";

const log = pino({ level: "silent" });
const signal = new AbortController().signal;

describe("failExecutor", () => {
  test("fails on purpose", async () => {
    await expect(failExecutor({ parameters: [], attempt: 1, signal, log })).rejects.toThrow(
      "Job 'fail' failed on purpose",
    );
  });

  test("fails with the reason it is given", async () => {
    const parameters = [{ name: "reason", value: "disk full" }];

    await expect(failExecutor({ parameters, attempt: 1, signal, log })).rejects.toThrow(
      "disk full",
    );
  });
});
