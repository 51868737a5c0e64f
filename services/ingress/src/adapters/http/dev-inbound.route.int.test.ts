import { QUEUES, type InboundMessage, type OrchestratorReply } from "@textops/contracts";
import { describe, expect, queueDepth, vi } from "@textops/testing";
import request from "supertest";
import {
  aCapturingLogger,
  aDirectory,
  startResponder,
  startTestIngress,
  test,
  type Answer,
} from "../../testing/ingress-harness.js";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const withoutId = { from: "user1", conversation: "user1", body: "run demo" };
const runDemo = { ...withoutId, providerMessageId: "m1" };

/** What the orchestrator answers to `run demo`, as in the seed. */
const approvalRequested: Answer = (m: InboundMessage) => ({
  intentType: "RunJob",
  jobKey: "demo",
  runId: "K7Q2MX",
  dispatchedExecution: false,
  duplicate: false,
  outbound: [
    {
      body: 'Job "demo" is ready. Reply YES K7Q2MX to approve or NO K7Q2MX to deny.',
      correlationId: "K7Q2MX",
      idempotencyKey: "approval-request:K7Q2MX",
      channelId: m.channelId,
      conversation: `${m.channelId}:${m.conversation}`,
    },
  ],
});

describe("POST /dev/inbound", () => {
  test("answers with the orchestrator's reply in the seed's shape", async ({
    rabbit,
    mongo,
    log,
    cleanup,
  }) => {
    const ingress = await startTestIngress({
      amqpUrl: rabbit.url,
      db: mongo.db,
      log,
      cleanup,
    });
    const orchestrator = await startResponder(rabbit.url, log, cleanup, approvalRequested);

    const response = await request(ingress.app)
      .post("/dev/inbound")
      .set("x-correlation-id", "corr-42")
      .send(runDemo);

    expect(response.status).toBe(200);
    expect(response.headers["x-correlation-id"]).toBe("corr-42");
    expect(response.body).toEqual({
      intentType: "RunJob",
      jobKey: "demo",
      runId: "K7Q2MX",
      dispatchedExecution: false,
      outbound: [
        {
          body: 'Job "demo" is ready. Reply YES K7Q2MX to approve or NO K7Q2MX to deny.',
          correlationId: "K7Q2MX",
          idempotencyKey: "approval-request:K7Q2MX",
          channelId: "dev",
          conversation: "dev:user1",
        },
      ],
    } satisfies Omit<OrchestratorReply, "inboundMessageId" | "duplicate">);
    const [delivered] = orchestrator.received;
    expect(delivered?.envelope.correlationId).toBe("corr-42");
    expect(delivered?.payload).toEqual({
      channelId: "dev",
      providerMessageId: "m1",
      from: "user1",
      conversation: "user1",
      body: "run demo",
      receivedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) as unknown,
    });
  });

  test("answers 202 with the message id when the orchestrator does not answer in time", async ({
    rabbit,
    mongo,
    log,
    cleanup,
  }) => {
    const ingress = await startTestIngress({
      amqpUrl: rabbit.url,
      db: mongo.db,
      log,
      cleanup,
      replyTimeoutMs: 200,
    });
    const silent = await startResponder(rabbit.url, log, cleanup, null);

    const response = await request(ingress.app).post("/dev/inbound").send(withoutId);

    expect(response.status).toBe(202);
    expect(response.body).toEqual({
      messageId: expect.stringMatching(UUID) as unknown,
      status: "accepted",
      detail: expect.stringContaining("/dev/conversations/dev%3Auser1/messages") as unknown,
    });
    const correlationId = response.headers["x-correlation-id"];
    expect(correlationId).toMatch(UUID);
    // Published with a confirm before the 202, but the consumer may not have it yet.
    const queued = await vi.waitFor(() => {
      const [first] = silent.received;
      if (!first) throw new Error("the inbound message has not reached the orchestrator queue yet");
      return first;
    });
    expect(queued.envelope.messageId).toBe((response.body as { messageId: string }).messageId);
    expect(queued.envelope.correlationId).toBe(correlationId);
    expect(queued.payload.providerMessageId).toMatch(UUID);
  });

  test("refuses malformed JSON with 400 and publishes nothing", async ({
    rabbit,
    mongo,
    log,
    cleanup,
  }) => {
    const ingress = await startTestIngress({
      amqpUrl: rabbit.url,
      db: mongo.db,
      log,
      cleanup,
    });

    const response = await request(ingress.app)
      .post("/dev/inbound")
      .set("content-type", "application/json")
      .send('{"from": "user1", ');

    expect(response.status).toBe(400);
    expect(response.body).toEqual({
      error: "invalid request",
      issues: [{ path: "", message: "body is not valid JSON" }],
    });
    expect(await queueDepth(rabbit.url, QUEUES.orchestratorInput)).toBe(0);
  });

  test("refuses a body that breaks the schema with 400, naming each problem", async ({
    rabbit,
    mongo,
    log,
    cleanup,
  }) => {
    const ingress = await startTestIngress({
      amqpUrl: rabbit.url,
      db: mongo.db,
      log,
      cleanup,
    });

    const response = await request(ingress.app)
      .post("/dev/inbound")
      .send({ from: "", conversation: "user1", body: 42, priority: "high" });

    expect(response.status).toBe(400);
    const { error, issues } = response.body as { error: string; issues: { path: string }[] };
    expect(error).toBe("invalid request");
    expect(issues.map((i) => i.path).sort()).toEqual(["", "body", "from"]);
    expect(JSON.stringify(issues)).toContain("priority");
    expect(await queueDepth(rabbit.url, QUEUES.orchestratorInput)).toBe(0);
  });

  test("refuses an oversized body with 413 and publishes nothing", async ({
    rabbit,
    mongo,
    log,
    cleanup,
  }) => {
    const ingress = await startTestIngress({
      amqpUrl: rabbit.url,
      db: mongo.db,
      log,
      cleanup,
    });

    const response = await request(ingress.app)
      .post("/dev/inbound")
      .send({ ...runDemo, body: "x".repeat(70 * 1024) });

    expect(response.status).toBe(413);
    expect(response.body).toMatchObject({ error: "request body too large" });
    expect(await queueDepth(rabbit.url, QUEUES.orchestratorInput)).toBe(0);
  });

  test("answers 503 at once when the broker is unreachable", async ({ mongo, log, cleanup }) => {
    const ingress = await startTestIngress({
      amqpUrl: "amqp://guest:guest@127.0.0.1:1",
      brokerReachable: false,
      db: mongo.db,
      log,
      cleanup,
    });

    const started = Date.now();
    const response = await request(ingress.app).post("/dev/inbound").send(runDemo);

    expect(response.status).toBe(503);
    expect(response.body).toMatchObject({ error: "message broker unavailable" });
    expect(Date.now() - started).toBeLessThan(1000);
  });
});

describe("POST /dev/inbound in closed mode", () => {
  const { directory } = aDirectory({ user1: {} });

  test("is refused with 403 saying how to open it, whatever the body, and publishes nothing", async ({
    rabbit,
    mongo,
    log,
    cleanup,
  }) => {
    const ingress = await startTestIngress({
      amqpUrl: rabbit.url,
      db: mongo.db,
      log,
      cleanup,
      directory,
    });

    const valid = await request(ingress.app).post("/dev/inbound").send(runDemo);
    const malformed = await request(ingress.app)
      .post("/dev/inbound")
      .set("content-type", "application/json")
      .send('{"from": ');

    for (const response of [valid, malformed]) {
      expect(response.status).toBe(403);
      expect(response.body).toEqual({
        error: "dev channel closed",
        detail: expect.stringMatching(/directory of people.*DEV_CHANNEL=open/) as unknown,
      });
    }
    expect(await queueDepth(rabbit.url, QUEUES.orchestratorInput)).toBe(0);
  });

  test("with DEV_CHANNEL=open is accepted, and start-up warned that anyone may speak as anyone", async ({
    rabbit,
    mongo,
    cleanup,
  }) => {
    const { log, lines } = aCapturingLogger();
    const ingress = await startTestIngress({
      amqpUrl: rabbit.url,
      db: mongo.db,
      log,
      cleanup,
      directory,
      devChannel: "open",
    });
    const orchestrator = await startResponder(rabbit.url, log, cleanup, approvalRequested);

    const response = await request(ingress.app).post("/dev/inbound").send(runDemo);

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ runId: "K7Q2MX" });
    expect(orchestrator.received).toHaveLength(1);
    expect(lines()).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ level: 30, usersFile: "users.yaml (test)", people: 1 }),
        expect.objectContaining({
          level: 40,
          msg: expect.stringMatching(/^DEV_CHANNEL=open.*anyone .* may speak as anyone/) as unknown,
        }),
      ]),
    );
  });

  test("start-up in open mode is a warning; with a directory, an info line and no warning", async ({
    rabbit,
    mongo,
    cleanup,
  }) => {
    const open = aCapturingLogger();
    const closed = aCapturingLogger();
    await startTestIngress({ amqpUrl: rabbit.url, db: mongo.db, log: open.log, cleanup });
    await startTestIngress({
      amqpUrl: rabbit.url,
      db: mongo.db,
      log: closed.log,
      cleanup,
      directory,
    });

    expect(open.lines()).toContainEqual(
      expect.objectContaining({
        level: 40,
        msg: expect.stringMatching(/^no directory of people/) as unknown,
      }),
    );
    expect(closed.lines()).toContainEqual(
      expect.objectContaining({ level: 30, usersFile: "users.yaml (test)", people: 1 }),
    );
    expect(closed.lines().filter((line) => line.level === 40)).toEqual([]);
  });
});
