import { describe, expect, vi } from "@textops/testing";
import { test } from "./fixtures.js";
import { devClient, stateEvents } from "./http-client.js";

describe("retries after retryable failures", () => {
  test("a job that fails twice retryably succeeds on attempt 3, each attempt on the timeline", async ({
    startSystem,
  }) => {
    const system = await startSystem();
    const client = devClient(system.baseUrl);

    const runId = (await client.send("run flaky failures=2")).runId ?? "";
    await client.send(`yes ${runId}`);
    const view = await client.untilStatus(runId, "Succeeded");

    expect(stateEvents(view).map((e) => e.type)).toEqual([
      "RunCreated",
      "ApprovalRequested",
      "RunApproved",
      "ExecutionDispatched",
      "ExecutionStarted",
      "ExecutionFailed",
      "RetryScheduled",
      "ExecutionDispatched",
      "ExecutionStarted",
      "ExecutionFailed",
      "RetryScheduled",
      "ExecutionDispatched",
      "ExecutionStarted",
      "ExecutionSucceeded",
    ]);
    const retries = view.events.filter((e) => e.type === "RetryScheduled");
    const delays = retries.map((e) => (e.payload as { delayMs: number }).delayMs);
    expect(delays[0]).toBeGreaterThanOrEqual(750);
    expect(delays[1]).toBeGreaterThanOrEqual(1500);
    // The second dispatch waited its delay in the retry queue before a worker took it.
    const at = (i: number) => Date.parse(stateEvents(view)[i]?.at ?? "");
    expect(at(8) - at(7)).toBeGreaterThanOrEqual((delays[0] ?? 0) - 50);

    const messages = await vi.waitFor(
      async () => {
        const all = await client.messages("dev:user1");
        if (!all.some((m) => m.includes("succeeded"))) throw new Error("no notice yet");
        return all;
      },
      { timeout: 15_000, interval: 100 },
    );
    expect(messages.filter((m) => m.includes("Trying again"))).toHaveLength(2);
    expect(messages).toContain(`Run ${runId} succeeded: succeeded on attempt 3`);
  });
});
