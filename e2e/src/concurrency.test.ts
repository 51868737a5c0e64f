import { describe, expect } from "@textops/testing";
import { test } from "./fixtures.js";
import { devClient, stateEvents, type RunView } from "./http-client.js";

const timeOf = (view: RunView, type: string) =>
  Date.parse(view.events.find((e) => e.type === type)?.at ?? "");

describe("a job's concurrency limit, end to end", () => {
  test("deploy runs one at a time, and keeps its slot while its worker is killed mid-job until the run is reported lost", async ({
    startSystem,
  }) => {
    const system = await startSystem({ workers: 0, deployers: "shell" });
    const client = devClient(system.baseUrl);
    const first =
      (await client.send("run deploy service=api version=v1.0.0 replicas=20")).runId ?? "";
    await client.send(`yes ${first}`);
    await client.untilStatus(first, "Running");

    const second = (await client.send("run deploy service=web version=v1.0.0")).runId ?? "";
    const waiting = await client.send(`yes ${second}`);
    expect(waiting.dispatchedExecution).toBe(false);
    expect(waiting.outbound[0]?.body).toBe(
      `Approved. Run ${second} waits for a free slot: job "deploy" runs at most 1 at once.`,
    );

    const deployers = system.process("worker-deployers");
    deployers.child.kill("SIGKILL");
    await deployers.exited;
    expect((await client.run(first)).run.status).toBe("Running");
    expect((await client.run(second)).run.status).toBe("Dispatching");

    system.startWorker("worker-deployers-2", {
      WORKER_POOLS: "deployers",
      WORKER_EXECUTORS: "shell",
    });
    const lost = await client.untilStatus(first, "Failed");
    const ran = await client.untilStatus(second, "Succeeded");

    expect(stateEvents(lost).map((e) => e.type)).toEqual(
      expect.arrayContaining(["ExecutionLost", "ExecutionFailed"]),
    );
    expect(stateEvents(ran).map((e) => e.type)).toEqual([
      "RunCreated",
      "ApprovalRequested",
      "RunApproved",
      "WaitingForSlot",
      "ExecutionDispatched",
      "ExecutionStarted",
      "ExecutionSucceeded",
    ]);
    // The second was dispatched only once the first had ended.
    expect(timeOf(ran, "ExecutionDispatched")).toBeGreaterThanOrEqual(
      timeOf(lost, "ExecutionFailed"),
    );
    expect(ran.events.find((e) => e.type === "ExecutionStarted")?.actor).toBe(
      "worker:worker-deployers-2",
    );
  });
});
