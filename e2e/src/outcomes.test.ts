import { describe, expect, vi } from "@textops/testing";
import { test } from "./fixtures.js";
import { devClient, stateEvents } from "./http-client.js";

describe("how runs end", () => {
  test("denied, failing and cancelled runs each end right and say so; an unknown job is never a run", async ({
    startSystem,
  }) => {
    const system = await startSystem();
    const client = devClient(system.baseUrl);
    const start = async (command: string) => (await client.send(command)).runId ?? "";

    const denied = await start("run demo");
    await client.send(`no ${denied}`);
    const failing = await start("run fail reason=disk-full");
    await client.send(`yes ${failing}`);
    const unknown = await client.send("run launch-rockets");
    const cancelled = await start("run sleep seconds=30");
    await client.send(`yes ${cancelled}`);
    await client.untilStatus(cancelled, "Running");
    await client.send(`cancel ${cancelled}`);

    expect(stateEvents(await client.untilStatus(denied, "Denied")).at(-1)?.type).toBe("RunDenied");
    await client.untilStatus(failing, "Failed");
    await client.untilStatus(cancelled, "Cancelled");
    const messages = await vi.waitFor(
      async () => {
        const all = await client.messages("dev:user1");
        if (!all.some((m) => m.startsWith(`Cancelled run ${cancelled}`)))
          throw new Error("waiting");
        return all;
      },
      { timeout: 15_000, interval: 100 },
    );
    expect(messages).toContain(`Denied. Run ${denied} for job "demo" will not run.`);
    expect(messages).toContain(`Run ${failing} failed: disk-full`);
    expect(unknown).toMatchObject({ intentType: "RunJob", runId: null });
    expect(messages).toContain('Unknown job "launch-rockets". Send JOBS for the list.');
    expect(messages).toContain(`Cancelled run ${cancelled} for job "sleep".`);
  });

  test("three workers share 30 runs: each succeeds exactly once", async ({ startSystem }) => {
    const system = await startSystem({ workers: 3 });
    const client = devClient(system.baseUrl);

    const runIds: string[] = [];
    for (let i = 0; i < 30; i += 1) {
      runIds.push((await client.send("run sleep seconds=0.2")).runId ?? "");
    }
    for (const runId of runIds)
      expect((await client.send(`yes ${runId}`)).dispatchedExecution).toBe(true);
    const views = await Promise.all(runIds.map((runId) => client.untilStatus(runId, "Succeeded")));

    const workers = new Set<string>();
    for (const view of views) {
      const started = view.events.filter((e) => e.type === "ExecutionStarted");
      const succeeded = view.events.filter((e) => e.type === "ExecutionSucceeded");
      expect(started).toHaveLength(1);
      expect(succeeded).toHaveLength(1);
      workers.add(started[0]?.actor ?? "");
    }
    expect(workers.size).toBeGreaterThan(1);
  });
});
