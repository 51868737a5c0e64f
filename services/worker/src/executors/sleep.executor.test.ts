import { pino } from "pino";
import { describe, expect, test } from "vitest";
import type { JobParameter } from "@textops/contracts";
import { sleepExecutor } from "./sleep.executor.js";

const log = pino({ level: "silent" });
const sleep = (parameters: JobParameter[], signal = new AbortController().signal) =>
  sleepExecutor({ parameters, attempt: 1, signal, log });

describe("sleepExecutor", () => {
  test("sleeps the given seconds, fractions included", async () => {
    const started = performance.now();

    expect(await sleep([{ name: "seconds", value: "0.05" }])).toEqual({ summary: "Slept 0.05 s" });
    expect(performance.now() - started).toBeGreaterThanOrEqual(45);
  });

  test("sleeps one second when no seconds are given", async () => {
    expect(await sleep([])).toEqual({ summary: "Slept 1 s" });
  });

  test("zero seconds is allowed", async () => {
    expect(await sleep([{ name: "seconds", value: "0" }])).toEqual({ summary: "Slept 0 s" });
  });

  test.each(["soon", "", "-1", "3601", "Infinity"])("refuses seconds=%s", async (value) => {
    await expect(sleep([{ name: "seconds", value }])).rejects.toThrow(
      `seconds must be a number from 0 to 3600, got "${value}"`,
    );
  });

  test("stops when aborted", async () => {
    const controller = new AbortController();
    const sleeping = sleep([{ name: "seconds", value: "3600" }], controller.signal);

    controller.abort();

    await expect(sleeping).rejects.toThrow(/aborted/);
  });
});
