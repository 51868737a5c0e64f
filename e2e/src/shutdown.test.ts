import { QUEUES } from "@textops/contracts";
import { describe, expect, queueDepth, vi } from "@textops/testing";
import { test } from "./fixtures.js";
import { devClient } from "./http-client.js";
import { waitForOutput } from "./system.js";

const clean = { code: 0, signal: null };

/** POST /dev/inbound as the README's curl does, keeping the status whatever it is. */
async function post(baseUrl: string, body: string, providerMessageId: string) {
  const response = await fetch(`${baseUrl}/dev/inbound`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ from: "user1", conversation: "user1", body, providerMessageId }),
  });
  return { providerMessageId, status: response.status, body: await response.json() };
}

describe("SIGTERM", () => {
  test("a worker lets its running job finish, the run succeeds, and the worker exits 0", async ({
    startSystem,
  }) => {
    const system = await startSystem({ workers: 1 });
    const client = devClient(system.baseUrl);
    const runId = (await client.send("run sleep seconds=2")).runId ?? "";
    await client.send(`yes ${runId}`);
    await client.untilStatus(runId, "Running");

    const exit = await system.terminate("worker-1");

    expect(exit).toEqual(clean);
    const view = await client.untilStatus(runId, "Succeeded", "Failed");
    expect(view.run.status).toBe("Succeeded");
    expect(view.events.filter((e) => e.type === "ExecutionStarted")).toHaveLength(1);
  });

  test("the active orchestrator stops mid-stream; the standby takes over and every accepted message has its run once", async ({
    startSystem,
    mongo,
  }) => {
    const system = await startSystem({ workers: 0 });
    expect((await post(system.baseUrl, "help", "warm-up")).status).toBe(200);
    const standby = system.startOrchestrator({ LOG_LEVEL: "info" });
    // Logged once the broker confirmed its consumer: it waits as the standby.
    await waitForOutput(standby, /"msg":"orchestrator started/);

    const send = (i: number) => post(system.baseUrl, "run demo", `m${i}`);
    const responses = [];
    for (let i = 0; i < 5; i += 1) responses.push(await send(i));
    const stopping = system.terminate("orchestrator");
    // Ten sent at once while the active orchestrator stops, five more once it is gone.
    responses.push(...(await Promise.all([5, 6, 7, 8, 9, 10, 11, 12, 13, 14].map(send))));
    expect(await stopping).toEqual(clean);
    for (let i = 15; i < 20; i += 1) responses.push(await send(i));

    expect(responses.map((r) => r.status).filter((s) => s !== 200 && s !== 202)).toEqual([]);
    const runs = mongo.db.collection("runs");
    await vi.waitFor(async () => expect(await runs.countDocuments()).toBe(20), {
      timeout: 20_000,
      interval: 100,
    });
    for (const { providerMessageId } of responses) {
      expect(await runs.countDocuments({ "processed.key": `dev:${providerMessageId}` })).toBe(1);
    }
    const appliedByStandby = standby.output.join("").match(/inbound message applied/g) ?? [];
    expect(appliedByStandby.length).toBeGreaterThanOrEqual(5);
    expect(appliedByStandby.length).toBeLessThanOrEqual(15);
  });

  test("ingress answers the requests in flight, then exits 0; their messages are not lost", async ({
    startSystem,
    rabbit,
    mongo,
  }) => {
    const system = await startSystem({ workers: 0 });
    // With no orchestrator, each request waits out its reply timeout: it is in flight.
    expect(await system.terminate("orchestrator")).toEqual(clean);
    const requests = Array.from({ length: 5 }, (_, i) => post(system.baseUrl, "run demo", `f${i}`));
    await vi.waitFor(
      async () => expect(await queueDepth(rabbit.url, QUEUES.orchestratorInput)).toBe(5),
      { timeout: 10_000, interval: 50 },
    );

    const exit = await system.terminate("ingress");

    const responses = await Promise.all(requests);
    expect(exit).toEqual(clean);
    expect(responses.map((r) => r.status)).toEqual([202, 202, 202, 202, 202]);
    system.startOrchestrator();
    const runs = mongo.db.collection("runs");
    await vi.waitFor(async () => expect(await runs.countDocuments()).toBe(5), {
      timeout: 20_000,
      interval: 100,
    });
  });
});
