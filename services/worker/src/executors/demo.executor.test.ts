import { pino } from "pino";
import { describe, expect, test } from "vitest";
import { demoExecutor } from "./demo.executor.js";

const log = pino({ level: "silent" });

describe(demoExecutor.name, () => {
  test("pauses, then succeeds with the demo summary", async () => {
    const demo = demoExecutor({ delayMs: 5 });

    const result = await demo({
      parameters: [],
      attempt: 1,
      signal: new AbortController().signal,
      log,
    });

    expect(result).toEqual({ summary: "Job 'demo' completed successfully" });
  });

  test("stops when aborted", async () => {
    const demo = demoExecutor({ delayMs: 60_000 });

    await expect(
      demo({ parameters: [], attempt: 1, signal: AbortSignal.abort(), log }),
    ).rejects.toThrow(/aborted/);
  });
});
