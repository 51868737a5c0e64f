import { describe, expect, vi } from "@textops/testing";
import { test } from "./fixtures.js";
import { devClient, stateEvents } from "./http-client.js";

describe("the seed's quickstart, end to end", () => {
  test("run demo, approve, status, and the run's timeline", async ({ startSystem }) => {
    const system = await startSystem();
    const client = devClient(system.baseUrl);

    const created = await client.send("run demo", { providerMessageId: "m1" });
    const runId = created.runId ?? "";
    expect(created).toEqual({
      intentType: "RunJob",
      jobKey: "demo",
      runId: expect.stringMatching(/^[A-HJ-NP-Z2-9]{6}$/) as string,
      dispatchedExecution: false,
      outbound: [
        {
          body: `Job "demo" is ready. Reply YES ${runId} to approve or NO ${runId} to deny.`,
          correlationId: runId,
          idempotencyKey: `approval-request:${runId}`,
          channelId: "dev",
          conversation: "dev:user1",
        },
      ],
    });

    const approved = await client.send(`yes ${runId.toLowerCase()}`, { providerMessageId: "m2" });
    expect(approved).toMatchObject({
      intentType: "ApproveRun",
      jobKey: null,
      runId,
      dispatchedExecution: true,
    });
    expect(approved.outbound[0]?.body).toBe(`Approved. Starting run ${runId} for job "demo"…`);

    const view = await client.untilStatus(runId, "Succeeded");
    expect(view.run).toMatchObject({
      runId,
      jobKey: "demo",
      status: "Succeeded",
      requestedByAddress: "dev:user1",
    });
    expect(stateEvents(view).map((e) => e.type)).toEqual([
      "RunCreated",
      "ApprovalRequested",
      "RunApproved",
      "ExecutionDispatched",
      "ExecutionStarted",
      "ExecutionSucceeded",
    ]);
    expect(stateEvents(view)[5]?.payload).toMatchObject({
      summary: "Job 'demo' completed successfully",
    });

    const status = await client.send(`status ${runId}`, { providerMessageId: "m3" });
    expect(status.outbound[0]?.body).toMatch(
      new RegExp(`^Run ${runId} \\(job "demo"\\) is Succeeded`),
    );
    const conversation = await vi.waitFor(
      async () => {
        const all = await client.messages("dev:user1");
        if (!all.some((m) => m.includes("succeeded"))) throw new Error("no completion notice yet");
        return all;
      },
      { timeout: 15_000, interval: 100 },
    );
    expect(conversation).toContain(`Run ${runId} succeeded: Job 'demo' completed successfully`);
  });

  test("the same providerMessageId twice: the second has no effect", async ({ startSystem }) => {
    const system = await startSystem();
    const client = devClient(system.baseUrl);

    const first = await client.send("run demo", { providerMessageId: "same" });
    const second = await client.send("run demo", { providerMessageId: "same" });

    expect(first.runId).not.toBeNull();
    expect(second).toMatchObject({ runId: null, outbound: [] });
    expect(await client.messages("dev:user1")).toHaveLength(1);
  });
});
