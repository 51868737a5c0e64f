import { QUEUES, type Run } from "@textops/contracts";
import { describe, expect } from "@textops/testing";
import { test } from "../testing/fixtures.js";
import { CONTROL_TAP } from "../testing/channel-client.js";
import { sweepOnce } from "./sweeper.js";

const T0 = Date.parse("2026-11-26T12:00:00.000Z");

describe(sweepOnce.name, () => {
  test("a run nobody approves in time expires, and the requester is told", async ({
    mongo,
    startOrchestrator,
    client,
  }) => {
    let now = T0;
    const orchestrator = await startOrchestrator({
      clock: () => now,
      runIds: ["EXP234"],
      approvalTtlSeconds: 600,
    });
    await client.send("run demo");
    await client.take(QUEUES.outbound("dev"), "OutboundMessage");

    now = T0 + 599_000;
    expect((await orchestrator.sweep()).expired).toBe(0);
    now = T0 + 600_000;
    expect((await orchestrator.sweep()).expired).toBe(1);
    expect((await orchestrator.sweep()).expired).toBe(0);

    const notice = await client.take(QUEUES.outbound("dev"), "OutboundMessage");
    expect(notice.payload.body).toBe(
      'Run EXP234 for job "demo" expired: nobody approved it in time.',
    );
    const run = await mongo.db.collection<Run>("runs").findOne({ runId: "EXP234" });
    expect(run?.status).toBe("Expired");
    expect(run?.events.at(-1)).toMatchObject({ type: "RunExpired", actor: "scheduler" });
    expect((await client.send("yes EXP234")).outbound[0]?.body).toBe(
      "Run EXP234 has expired; nothing to approve.",
    );
  });

  test("a running job whose worker goes quiet times out and its worker is told to stop", async ({
    mongo,
    startOrchestrator,
    client,
  }) => {
    let now = T0;
    const orchestrator = await startOrchestrator({ clock: () => now, runIds: ["TMX234"] });
    await client.send("run demo");
    await client.send("yes TMX234");
    await client.publish("ExecutionStarted", {
      runId: "TMX234",
      attempt: 1,
      workerId: "w1",
      startedAt: new Date(T0).toISOString(),
    });
    await client.publish("ExecutionHeartbeat", {
      runId: "TMX234",
      attempt: 1,
      workerId: "w1",
      at: new Date(T0 + 30_000).toISOString(),
    });
    await client.send("status TMX234"); // answered after the callbacks before it

    now = T0 + 90_000; // 60 s after the heartbeat: still within demo's 60 s timeout
    expect((await orchestrator.sweep()).timedOut).toBe(0);
    now = T0 + 90_001;
    expect((await orchestrator.sweep()).timedOut).toBe(1);

    const run = await mongo.db.collection<Run>("runs").findOne({ runId: "TMX234" });
    expect(run?.status).toBe("TimedOut");
    expect(run?.events.at(-1)).toMatchObject({
      type: "RunTimedOut",
      payload: { attempt: 1, lastHeartbeatAt: new Date(T0 + 30_000).toISOString() },
    });
    expect((await client.take(CONTROL_TAP, "ExecutionCancelRequested")).payload).toEqual({
      runId: "TMX234",
      attempt: 1,
    });
  });
});
