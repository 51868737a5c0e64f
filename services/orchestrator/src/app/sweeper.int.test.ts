import { QUEUES } from "@textops/contracts";
import type { OutboxEntry, Run } from "../domain/stored-run.js";
import { describe, expect, vi } from "@textops/testing";
import { createInboxRepository } from "../adapters/mongo/inbox.repository.js";
import { createRunRepository } from "../adapters/mongo/run.repository.js";
import { aRun } from "../testing/run-builder.js";
import { test } from "../testing/fixtures.js";
import { CONTROL_TAP } from "../testing/channel-client.js";
import type { Publisher, RunStore } from "./ports.js";
import { sweepOnce } from "./sweeper.js";

const T0 = Date.parse("2026-11-26T12:00:00.000Z");
const FAR_FUTURE = "9999-12-31T00:00:00.000Z";

/** Wraps the real repository, noting every run id it reads. */
function readsOf(ids: string[]) {
  return (real: RunStore): RunStore => ({
    ...real,
    find: (runId) => {
      ids.push(runId);
      return real.find(runId);
    },
  });
}

/** A publisher that fails the first `OutboundMessage` whose body matches, as a broker outage would. */
function failingOnce(pattern: RegExp) {
  let failed = false;
  return (real: Publisher): Publisher => ({
    publish: (type, payload, extras) => {
      const body = type === "OutboundMessage" ? (payload as { body: string }).body : "";
      if (!failed && pattern.test(body)) {
        failed = true;
        return Promise.reject(new Error("broker unreachable"));
      }
      return real.publish(type, payload, extras);
    },
  });
}

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
      "Run EXP234 already expired at 12:10 UTC; nothing to approve.",
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

describe("what a sweep reads", () => {
  test("only runs the watch list says are due, never the finished ones stored", async ({
    mongo,
    startOrchestrator,
    client,
  }) => {
    const finished = Array.from({ length: 200 }, (_, i) => {
      const runId = `F${String(i).padStart(5, "0")}`;
      return { ...aRun({ runId, status: "Succeeded" }), _id: runId };
    });
    await mongo.db.collection<Run & { _id: string }>("runs").insertMany(finished);
    let now = T0;
    const reads: string[] = [];
    const orchestrator = await startOrchestrator({
      clock: () => now,
      runIds: ["LVE234"],
      approvalTtlSeconds: 600,
      decorate: { runs: readsOf(reads) },
    });
    await client.send("run demo");
    // Answered once stored; the look at its expiry is planned once its notice is out.
    await vi.waitFor(
      async () =>
        expect(
          await mongo.db.collection("runs_watch").findOne({ _id: "LVE234" as never }),
        ).toMatchObject({
          dueAt: new Date(T0 + 600_000).toISOString(),
        }),
      { timeout: 5_000, interval: 25 },
    );
    reads.length = 0;

    now = T0 + 599_999;
    expect(await orchestrator.sweep()).toEqual({
      autoApproved: 0,
      expired: 0,
      escalated: 0,
      timedOut: 0,
      unclaimed: 0,
      republished: 0,
      slotsReleased: 0,
    });
    expect(reads).toEqual([]);
    now = T0 + 600_000;
    expect((await orchestrator.sweep()).expired).toBe(1);
    expect(new Set(reads)).toEqual(new Set(["LVE234"]));

    reads.length = 0;
    now = T0 + 86_400_000;
    expect(await orchestrator.sweep()).toEqual({
      autoApproved: 0,
      expired: 0,
      escalated: 0,
      timedOut: 0,
      unclaimed: 0,
      republished: 0,
      slotsReleased: 0,
    });
    expect(reads).toEqual([]);
  });

  test("a finished run and its messages leave nothing for the sweeper", async ({
    mongo,
    startOrchestrator,
    client,
  }) => {
    await startOrchestrator({ runIds: ["DNE234"] });
    await client.send("run demo");
    await client.send("yes DNE234");
    const at = new Date().toISOString();
    await client.publish("ExecutionStarted", {
      runId: "DNE234",
      attempt: 1,
      workerId: "w1",
      startedAt: at,
    });
    await client.publish("ExecutionCompleted", {
      runId: "DNE234",
      attempt: 1,
      workerId: "w1",
      outcome: "Succeeded",
      summary: "ok",
      durationMs: 1,
      completedAt: at,
    });
    await client.send("status DNE234"); // answered after the callbacks before it
    await client.send("help");

    const runs = await createRunRepository(mongo.db);
    const inbox = await createInboxRepository(mongo.db);
    expect((await runs.find("DNE234"))?.status).toBe("Succeeded");
    // The sender is answered once the effect is stored; the watch entries are
    // settled after what it sends is published, moments later.
    await vi.waitFor(async () => {
      expect(await runs.due(FAR_FUTURE, 10)).toEqual([]);
      expect(await inbox.due(FAR_FUTURE, 10)).toEqual([]);
    });
  });
});

describe("what a crash or an outage leaves behind", () => {
  test("a notice the sweep could not publish is published by the next sweep", async ({
    mongo,
    startOrchestrator,
    client,
  }) => {
    let now = T0;
    const orchestrator = await startOrchestrator({
      clock: () => now,
      runIds: ["XPD234"],
      approvalTtlSeconds: 600,
      decorate: { publisher: failingOnce(/expired/) },
    });
    await client.send("run demo");
    await client.take(QUEUES.outbound("dev"), "OutboundMessage");

    now = T0 + 600_000;
    await expect(orchestrator.sweep()).rejects.toThrow("broker unreachable");
    const run = await mongo.db.collection<Run>("runs").findOne({ runId: "XPD234" });
    expect(run?.status).toBe("Expired");
    // The expiry notice: the write keeps it until published.
    expect(run?.outbox).toHaveLength(1);

    now += 1000;
    expect(await orchestrator.sweep()).toEqual({
      autoApproved: 0,
      expired: 0,
      escalated: 0,
      timedOut: 0,
      unclaimed: 0,
      republished: 1,
      slotsReleased: 0,
    });
    const texts: string[] = [];
    await vi.waitFor(
      async () => {
        for (const m of await client.drain(QUEUES.outbound("dev"))) {
          texts.push((m.body as { body: string }).body);
        }
        expect(texts).toEqual([expect.stringContaining("expired")]);
      },
      { timeout: 5_000, interval: 50 },
    );
    expect(await orchestrator.sweep()).toEqual({
      autoApproved: 0,
      expired: 0,
      escalated: 0,
      timedOut: 0,
      unclaimed: 0,
      republished: 0,
      slotsReleased: 0,
    });
  });

  test("a notice left in the inbox by a crash is published by the sweep", async ({
    mongo,
    startOrchestrator,
    client,
  }) => {
    const orchestrator = await startOrchestrator();
    // What a crash after completing an inbox entry and before publishing leaves behind.
    const inbox = await createInboxRepository(mongo.db);
    const key = { channelId: "dev", providerMessageId: "lost-help" };
    const notice: OutboxEntry = {
      messageId: "lost-help:out0",
      correlationId: "c-lost",
      occurredAt: new Date().toISOString(),
      type: "OutboundMessage",
      payload: {
        channelId: "dev",
        conversation: "dev:user1",
        body: "the help text",
        correlationId: "c-lost",
        idempotencyKey: "help:dev:lost-help",
      },
    };
    const at = new Date().toISOString();
    await inbox.record({
      ...key,
      messageId: "m",
      receivedAt: at,
      state: "processing",
      runId: null,
      reply: null,
      outbox: [],
    });
    await inbox.complete(key, null, [notice], { now: at, lookAt: at });

    expect((await orchestrator.sweep()).republished).toBe(1);
    const published = await client.take(QUEUES.outbound("dev"), "OutboundMessage");
    expect(published).toEqual({ messageId: "lost-help:out0", payload: notice.payload });
    expect(await inbox.due(FAR_FUTURE, 10)).toEqual([]);
  });
});
