import { describe, expect, test } from "vitest";
import { RESTART_POLICY, describeExit, formatDuration, nextRestart } from "./supervisor.mjs";

const quick = 200;
const healthy = RESTART_POLICY.healthyAfterMs;

/** The delays before each restart of a service that dies `runs.length` times, after these run times. */
function delays(runs) {
  let streak = 0;
  return runs.map((ranForMs) => {
    const next = nextRestart(streak, ranForMs);
    streak = next.streak;
    return next.delayMs;
  });
}

describe("nextRestart", () => {
  test("a service that keeps dying at once waits twice as long each time, up to the cap", () => {
    expect(delays(Array(10).fill(quick))).toEqual([
      500, 1000, 2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000, 30_000,
    ]);
  });

  test("a death after a healthy run starts the backoff over", () => {
    expect(delays([quick, quick, quick, healthy, quick])).toEqual([500, 1000, 2000, 500, 1000]);
  });

  test("the first death of a service is restarted after the first delay, however long it ran", () => {
    expect(delays([quick])).toEqual([500]);
    expect(delays([healthy * 100])).toEqual([500]);
  });
});

describe("describeExit", () => {
  test.each([
    [null, "SIGKILL", "killed by SIGKILL"],
    [1, null, "exited with code 1"],
    [0, null, "exited with code 0"],
    [null, null, "ended"],
  ])("code %s, signal %s: %s", (code, signal, text) => {
    expect(describeExit(code, signal)).toBe(text);
  });
});

describe("formatDuration", () => {
  test.each([
    [350, "350 ms"],
    [1500, "1.5 s"],
    [30_000, "30 s"],
    [125_000, "2 min 5 s"],
  ])("%d ms is %s", (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});
