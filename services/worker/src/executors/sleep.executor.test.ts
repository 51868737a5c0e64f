import { describe, expect, test } from "vitest";
import type { ParameterValue } from "@textops/contracts";
import { anExecutorContext } from "./executor.fixtures.js";
import { sleepExecutor } from "./sleep.executor.js";

const sleep = (parameters: ParameterValue[], signal = new AbortController().signal) =>
  sleepExecutor(anExecutorContext({ parameters, signal }));

describe("sleepExecutor", () => {
  test("sleeps the given seconds, fractions included", async () => {
    const started = performance.now();

    expect(await sleep([{ name: "seconds", value: "0.05" }])).toEqual({ summary: "Slept 0.05 s" });
    expect(performance.now() - started).toBeGreaterThanOrEqual(45);
  });

  test("takes the seconds as a number too", async () => {
    expect(await sleep([{ name: "seconds", value: 0.01 }])).toEqual({ summary: "Slept 0.01 s" });
  });

  test("sleeps one second when no seconds are given", async () => {
    expect(await sleep([])).toEqual({ summary: "Slept 1 s" });
  });

  test("zero seconds is allowed", async () => {
    expect(await sleep([{ name: "seconds", value: 0 }])).toEqual({ summary: "Slept 0 s" });
  });

  test.each<ParameterValue["value"]>(["soon", "", "-1", "3601", "Infinity", -1, 3601, true])(
    "refuses seconds=%s",
    async (value) => {
      await expect(sleep([{ name: "seconds", value }])).rejects.toThrow(
        `seconds must be a number from 0 to 3600, got "${String(value)}"`,
      );
    },
  );

  test("stops when aborted", async () => {
    const controller = new AbortController();
    const sleeping = sleep([{ name: "seconds", value: 3600 }], controller.signal);

    controller.abort();

    await expect(sleeping).rejects.toThrow(/aborted/);
  });
});
