import { describe, expect, test } from "vitest";
import { demoExecutor } from "./demo.executor.js";
import { anExecutorContext } from "./executor.fixtures.js";

describe(demoExecutor.name, () => {
  test("pauses, then succeeds with the demo summary", async () => {
    const demo = demoExecutor({ delayMs: 5 });

    expect(await demo(anExecutorContext())).toEqual({
      summary: "Job 'demo' completed successfully",
    });
  });

  test("stops when aborted", async () => {
    const demo = demoExecutor({ delayMs: 60_000 });

    await expect(demo(anExecutorContext({ signal: AbortSignal.abort() }))).rejects.toThrow(
      /aborted/,
    );
  });
});
