import { QUEUES } from "@textops/contracts";
import type { OutboxEntry, Run } from "../domain/stored-run.js";
import { describe, expect, vi, type MongoContext } from "@textops/testing";
import { test } from "../testing/fixtures.js";
import { CONTROL_TAP } from "../testing/channel-client.js";
import { createRunRepository } from "../adapters/mongo/run.repository.js";
import { createOrchestrator } from "../orchestrator.js";

const OUTBOUND_DEV = QUEUES.outbound("dev");

async function runOf(mongo: MongoContext, runId: string) {
  const run = await mongo.db.collection<Run>("runs").findOne({ runId }, { projection: { _id: 0 } });
  if (!run) throw new Error(`no run ${runId}`);
  return run;
}

async function statusBecomes(mongo: MongoContext, runId: string, status: Run["status"]) {
  return vi.waitFor(
    async () => {
      const run = await runOf(mongo, runId);
      if (run.status !== status) throw new Error(`run is ${run.status}, not ${status}`);
      return run;
    },
    { timeout: 15_000, interval: 25 },
  );
}

describe(createOrchestrator.name, () => {
  test("run, approve, start and complete: the seed's walkthrough", async ({
    mongo,
    startOrchestrator,
    client,
  }) => {
    await startOrchestrator({ runIds: ["K7Q2MX"] });

    const created = await client.send("run demo");
    expect(created).toMatchObject({ intentType: "RunJob", jobKey: "demo", runId: "K7Q2MX" });
    expect(created.dispatchedExecution).toBe(false);
    expect(created.outbound).toEqual([
      {
        body: 'Job "demo" is ready. Reply YES K7Q2MX to approve or NO K7Q2MX to deny.',
        correlationId: "K7Q2MX",
        idempotencyKey: "approval-request:K7Q2MX",
        channelId: "dev",
        conversation: "dev:user1",
        actions: [
          { label: "Approve", reply: "yes K7Q2MX" },
          { label: "Deny", reply: "no K7Q2MX" },
        ],
      },
    ]);
    expect((await client.take(OUTBOUND_DEV, "OutboundMessage")).payload).toEqual(
      created.outbound[0],
    );

    const approved = await client.send("yes k7q2mx");
    expect(approved).toMatchObject({ intentType: "ApproveRun", runId: "K7Q2MX" });
    expect(approved.dispatchedExecution).toBe(true);
    expect(approved.outbound[0]?.body).toBe('Approved. Starting run K7Q2MX for job "demo"…');
    const dispatch = await client.take(QUEUES.workerDispatch, "ExecutionDispatch");
    expect(dispatch.payload).toMatchObject({ runId: "K7Q2MX", attempt: 1, jobKey: "demo" });

    const startedAt = new Date().toISOString();
    await client.publish("ExecutionStarted", {
      runId: "K7Q2MX",
      attempt: 1,
      workerId: "w1",
      startedAt,
    });
    await statusBecomes(mongo, "K7Q2MX", "Running");
    await client.publish("ExecutionCompleted", {
      runId: "K7Q2MX",
      attempt: 1,
      workerId: "w1",
      outcome: "Succeeded",
      summary: "Job 'demo' completed successfully",
      durationMs: 5,
      completedAt: new Date().toISOString(),
    });
    const run = await statusBecomes(mongo, "K7Q2MX", "Succeeded");

    expect(run.events.map((e) => [e.seq, e.type, e.actor])).toEqual([
      [1, "RunCreated", "user:dev:user1"],
      [2, "ApprovalRequested", "system"],
      [3, "RunApproved", "user:dev:user1"],
      [4, "ExecutionDispatched", "system"],
      [5, "ExecutionStarted", "worker:w1"],
      [6, "ExecutionSucceeded", "worker:w1"],
    ]);
    // The dev channel cannot edit a sent message: its copy of the request gets no edit.
    const notices = [
      await client.take(OUTBOUND_DEV, "OutboundMessage"),
      await client.take(OUTBOUND_DEV, "OutboundMessage"),
    ];
    expect(notices.map((n) => [n.payload.body, n.payload.replaces])).toEqual([
      ['Approved. Starting run K7Q2MX for job "demo"…', undefined],
      ["Run K7Q2MX succeeded: Job 'demo' completed successfully", undefined],
    ]);
    // Published, so removed from the outbox (the status changes a moment before that).
    await vi.waitFor(async () => expect((await runOf(mongo, "K7Q2MX")).outbox).toEqual([]), {
      timeout: 5_000,
      interval: 25,
    });
  });

  test("the same providerMessageId twice: the second has no effect", async ({
    mongo,
    startOrchestrator,
    client,
  }) => {
    await startOrchestrator();

    const first = await client.send("run demo", { providerMessageId: "m1" });
    const second = await client.send("run demo", { providerMessageId: "m1" });

    expect(first.runId).not.toBeNull();
    expect(second).toMatchObject({ runId: null, outbound: [], duplicate: true });
    expect(await mongo.db.collection("runs").countDocuments()).toBe(1);
    expect(await client.drain(OUTBOUND_DEV)).toHaveLength(1);
  });

  test("a message delivered again gets the answer its run holds; the channel sending it again is a duplicate", async ({
    mongo,
    startOrchestrator,
    client,
  }) => {
    await startOrchestrator({ runIds: ["AGN234"] });
    await client.send("run demo", { providerMessageId: "m1", messageId: "in-1" });
    const approval = { providerMessageId: "m2", messageId: "in-2" };
    const approved = await client.send("yes AGN234", approval);

    // The broker delivers the same message again (a crash came before its ack) ...
    const redelivered = await client.send("yes AGN234", approval);
    // ... and the channel sends the same text again, as a new message.
    const resent = await client.send("yes AGN234", { providerMessageId: "m2", messageId: "in-3" });

    expect(approved.dispatchedExecution).toBe(true);
    expect(redelivered).toEqual(approved);
    expect(resent).toMatchObject({ runId: null, outbound: [], duplicate: true });
    expect(await client.drain(QUEUES.workerDispatch)).toHaveLength(1);
    expect((await runOf(mongo, "AGN234")).events.map((e) => e.type)).toEqual([
      "RunCreated",
      "ApprovalRequested",
      "RunApproved",
      "ExecutionDispatched",
    ]);
  });

  test("the sender is answered once the run is stored, while its notices are still being published", async ({
    mongo,
    startOrchestrator,
    client,
  }) => {
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    await startOrchestrator({
      runIds: ["HLD234"],
      decorate: {
        publisher: (real) => ({
          publish: async (type, payload, extras) => {
            if (type === "OutboundMessage") await held;
            return real.publish(type, payload, extras);
          },
        }),
      },
    });

    try {
      const answer = await client.send("run demo");

      expect(answer).toMatchObject({ runId: "HLD234", duplicate: false });
      expect(await client.drain(OUTBOUND_DEV)).toEqual([]);
      expect((await runOf(mongo, "HLD234")).outbox).toHaveLength(1);
      release();
      expect((await client.take(OUTBOUND_DEV, "OutboundMessage")).payload).toEqual(
        answer.outbound[0],
      );
      await vi.waitFor(async () => expect((await runOf(mongo, "HLD234")).outbox).toEqual([]), {
        timeout: 5_000,
        interval: 25,
      });
    } finally {
      release(); // a failed expectation must not leave the orchestrator waiting
    }
  });

  test("a second approval dispatches nothing more and says why", async ({
    mongo,
    startOrchestrator,
    client,
  }) => {
    await startOrchestrator({ runIds: ["ABCDEF"] });
    await client.send("run demo");
    await client.send("approve ABCDEF");

    const again = await client.send("yes ABCDEF");

    expect(again.dispatchedExecution).toBe(false);
    expect(again.outbound[0]?.body).toMatch(
      /^Run ABCDEF was already approved by dev:user1 at \d\d:\d\d UTC; nothing to approve\.$/,
    );
    await client.take(QUEUES.workerDispatch, "ExecutionDispatch");
    expect(await client.drain(QUEUES.workerDispatch)).toEqual([]);
    const run = await runOf(mongo, "ABCDEF");
    expect(run.events).toHaveLength(4);
  });

  test("deny, cancel, status, unknown run, help and nonsense each get their answer", async ({
    mongo,
    startOrchestrator,
    client,
  }) => {
    await startOrchestrator({ runIds: ["DENY22", "CANC33"] });
    await client.send("run echo note=prod");
    await client.send("run demo");

    expect((await client.send("no deny22")).outbound[0]?.body).toBe(
      'Denied. Run DENY22 for job "echo" will not run.',
    );
    expect((await client.send("cancel CANC33")).outbound[0]?.body).toBe(
      'Cancelled run CANC33 for job "demo".',
    );
    expect((await client.send("yes CANC33")).outbound[0]?.body).toMatch(
      /^Run CANC33 was already cancelled by dev:user1 at \d\d:\d\d UTC; nothing to approve\.$/,
    );
    expect((await client.send("status DENY22")).outbound[0]?.body).toMatch(
      /^Run DENY22 \(job "echo"\) is Denied\. Latest: .*RunDenied\.$/,
    );
    expect((await client.send("yes ZZZZZZ")).outbound[0]?.body).toBe("Run ZZZZZZ not found.");
    expect((await client.send("HELP")).outbound[0]?.body).toMatch(
      /^Commands: run <job> .* · pending · runs · whoami · link \[<code>\] · help$/,
    );
    const nonsense = await client.send("launch the rockets");
    expect(nonsense.intentType).toBe("Unknown");
    expect(nonsense.outbound[0]?.body).toMatch(/Send HELP for the commands\.$/);

    expect((await runOf(mongo, "DENY22")).status).toBe("Denied");
    expect((await runOf(mongo, "CANC33")).status).toBe("Cancelled");
    // Every answer also went to the conversation: 2 approval requests + 7 notices
    // (no edits of the requests: the dev channel cannot edit a sent message).
    let delivered = 0;
    await vi.waitFor(
      async () => {
        delivered += (await client.drain(OUTBOUND_DEV)).length;
        if (delivered < 9) throw new Error(`only ${delivered} delivered`);
      },
      { timeout: 15_000, interval: 50 },
    );
    expect(delivered).toBe(9);
  });

  test("a channel's delivery reports reach the run's timeline through textops.inbound, each once", async ({
    mongo,
    startOrchestrator,
    client,
  }) => {
    await startOrchestrator({ runIds: ["DLV234"] });
    await client.send("run demo");
    await client.send("no DLV234");
    const report = {
      channelId: "telegram",
      conversation: "telegram:42",
      idempotencyKey: "approval-request:DLV234",
      correlationId: "DLV234",
      outcome: "delivered" as const,
      providerMessageIds: ["tg-1"],
      at: new Date().toISOString(),
    };

    await client.publish("DeliveryReport", report, { messageId: "r1" });
    await client.publish("DeliveryReport", report, { messageId: "r1" });
    await client.publish("DeliveryReport", report, { messageId: "r2" });
    // Taken after those (one consumer, in queue order): once it is noted, they have been.
    const refused = {
      ...report,
      idempotencyKey: "denied:DLV234",
      outcome: "not-delivered" as const,
    };
    await client.publish("DeliveryReport", { ...refused, reason: "opted out" });

    const run = await vi.waitFor(
      async () => {
        const r = await runOf(mongo, "DLV234");
        if (r.events.at(-1)?.type !== "NoticeNotDelivered") throw new Error("not yet");
        return r;
      },
      { timeout: 15_000, interval: 25 },
    );
    expect(run.status).toBe("Denied");
    expect(run.events.slice(3).map((e) => [e.seq, e.type, e.actor, e.payload])).toEqual([
      [
        4,
        "NoticeDelivered",
        "system",
        {
          channelId: "telegram",
          conversation: "telegram:42",
          idempotencyKey: "approval-request:DLV234",
          providerMessageIds: ["tg-1"],
        },
      ],
      [
        5,
        "NoticeNotDelivered",
        "system",
        {
          channelId: "telegram",
          conversation: "telegram:42",
          idempotencyKey: "denied:DLV234",
          reason: "opted out",
        },
      ],
    ]);
  });

  test("cancelling a running job tells the workers to stop it", async ({
    mongo,
    startOrchestrator,
    client,
  }) => {
    await startOrchestrator({ runIds: ["RUN234"] });
    await client.send("run sleep seconds=60");
    await client.send("yes RUN234");
    await client.publish("ExecutionStarted", {
      runId: "RUN234",
      attempt: 1,
      workerId: "w1",
      startedAt: new Date().toISOString(),
    });
    await statusBecomes(mongo, "RUN234", "Running");

    await client.send("cancel RUN234");

    const signal = await client.take(CONTROL_TAP, "ExecutionCancelRequested");
    expect(signal.payload).toEqual({ runId: "RUN234", attempt: 1 });
    await client.publish("ExecutionCompleted", {
      runId: "RUN234",
      attempt: 1,
      workerId: "w1",
      outcome: "Failed",
      summary: "cancelled",
      durationMs: 10,
      completedAt: new Date().toISOString(),
    });
    const run = await vi.waitFor(
      async () => {
        const r = await runOf(mongo, "RUN234");
        if (r.events.at(-1)?.type !== "CallbackIgnored") throw new Error("not yet");
        return r;
      },
      { timeout: 15_000, interval: 25 },
    );
    expect(run.status).toBe("Cancelled");
    expect(run.events.at(-1)?.payload).toEqual({
      kind: "completed",
      attempt: 1,
      reason: "run is Cancelled",
    });
  });

  test("a worker callback delivered many times has its effect once", async ({
    mongo,
    startOrchestrator,
    client,
  }) => {
    await startOrchestrator({ runIds: ["DUP234"] });
    await client.send("run demo");
    await client.send("yes DUP234");
    const started = {
      runId: "DUP234",
      attempt: 1,
      workerId: "w1",
      startedAt: new Date().toISOString(),
    };
    const completed = {
      runId: "DUP234",
      attempt: 1,
      workerId: "w1",
      outcome: "Failed" as const,
      summary: "exit code 3",
      durationMs: 10,
      completedAt: new Date().toISOString(),
    };

    for (let i = 0; i < 3; i += 1) await client.publish("ExecutionStarted", started);
    await statusBecomes(mongo, "DUP234", "Running");
    for (let i = 0; i < 3; i += 1) await client.publish("ExecutionCompleted", completed);
    await statusBecomes(mongo, "DUP234", "Failed");
    // Messages about one run are applied in queue order, so this answer comes after the repeats.
    await client.send("status DUP234");

    const run = await runOf(mongo, "DUP234");
    expect(run.events.map((e) => e.type)).toEqual([
      "RunCreated",
      "ApprovalRequested",
      "RunApproved",
      "ExecutionDispatched",
      "ExecutionStarted",
      "ExecutionFailed",
    ]);
    const drained = await client.drain(OUTBOUND_DEV);
    const texts = drained.map((m) => (m.body as { body: string }).body);
    expect(texts.filter((t) => t.startsWith("Run DUP234 failed"))).toEqual([
      "Run DUP234 failed: exit code 3",
    ]);
  });
});

describe("run ids and the outbox", () => {
  test("a run id that is taken is never overwritten: the new run gets another", async ({
    mongo,
    startOrchestrator,
    client,
  }) => {
    await startOrchestrator({ runIds: ["SAME22", "SAME22", "OTHR22"] });

    const first = await client.send("run demo");
    const second = await client.send("run echo");

    expect(first.runId).toBe("SAME22");
    expect(second.runId).toBe("OTHR22");
    expect((await runOf(mongo, "SAME22")).jobKey).toBe("demo");
    expect((await runOf(mongo, "OTHR22")).jobKey).toBe("echo");
  });

  test("an outbox entry a crash left behind is published by the sweep", async ({
    mongo,
    startOrchestrator,
    client,
  }) => {
    const orchestrator = await startOrchestrator({ runIds: ["LEFT22"] });
    await client.send("run demo");
    await client.take(OUTBOUND_DEV, "OutboundMessage");
    const stranded: OutboxEntry = {
      messageId: "stranded-1",
      correlationId: "LEFT22",
      causationId: "lost-message",
      occurredAt: "2026-11-26T11:00:00.000Z",
      type: "OutboundMessage",
      payload: {
        channelId: "dev",
        conversation: "dev:user1",
        body: "left behind",
        correlationId: "LEFT22",
        idempotencyKey: "stranded:LEFT22",
      },
    };
    // What a crash right after a run write leaves: the write made and announced, nothing published.
    const runs = await createRunRepository(mongo.db);
    const run = await runOf(mongo, "LEFT22");
    const write = { ...run, updatedAt: stranded.occurredAt, events: [], processed: [] };
    await runs.apply("LEFT22", run.version, { ...write, outbox: [stranded] }, stranded.occurredAt);

    expect((await orchestrator.sweep()).republished).toBe(1);

    const published = await client.take(OUTBOUND_DEV, "OutboundMessage");
    expect(published).toEqual({ messageId: "stranded-1", payload: stranded.payload });
    expect((await runOf(mongo, "LEFT22")).outbox).toEqual([]);
  });
});
