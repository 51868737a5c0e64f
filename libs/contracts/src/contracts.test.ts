import { describe, expect, test } from "vitest";
import { z } from "zod";
import {
  CATALOG,
  ExecutionCompleted,
  ExecutionDispatch,
  InboundMessage,
  MessageEnvelope,
  ParsedIntent,
  RunEvent,
  TOPOLOGY,
  isNoticeEvent,
  QUEUES,
  delayQueue,
} from "./index.js";

const now = "2026-11-26T12:00:00.000Z";

const samples = {
  inbound: {
    channelId: "dev",
    providerMessageId: "m1",
    from: "dev:user1",
    conversation: "dev:user1",
    body: "run demo",
    receivedAt: now,
  },
  dispatch: {
    runId: "K7Q2MX",
    attempt: 1,
    jobKey: "demo",
    job: {
      description: "Deploy one service",
      parameters: { env: { type: "enum", values: ["prod", "staging"], required: true } },
      executor: { kind: "shell", command: ["./deploy.sh"] },
      timeoutSeconds: 60,
      retry: { maxAttempts: 3, onWorkerLoss: false, onExitCodes: [75] },
      pool: "default",
    },
    catalogVersion: "0123456789ab",
    parameters: [{ name: "env", value: "prod" }],
    timeoutSeconds: 60,
    retryOnWorkerLoss: true,
    requestedBy: "user:dev:alice",
    approvedBy: ["user:dev:bob"],
    dispatchedAt: now,
    signature: "ab".repeat(32),
  },
  completed: {
    runId: "K7Q2MX",
    attempt: 1,
    workerId: "worker-1",
    outcome: "Succeeded",
    summary: "Job 'demo' completed successfully",
    durationMs: 1200,
    completedAt: now,
  },
};

function errorOf(schema: z.ZodType, value: unknown): string {
  const result = schema.safeParse(value);
  if (result.success) throw new Error("expected the value to be refused");
  return z.prettifyError(result.error);
}

describe("contracts", () => {
  test("valid samples parse", () => {
    expect(InboundMessage.parse(samples.inbound)).toEqual(samples.inbound);
    expect(ExecutionDispatch.parse(samples.dispatch)).toEqual(samples.dispatch);
    expect(ExecutionCompleted.parse(samples.completed)).toEqual(samples.completed);
    expect(ParsedIntent.parse({ type: "ApproveRun", runId: "K7Q2MX" }).type).toBe("ApproveRun");
    const event = {
      runId: "K7Q2MX",
      seq: 1,
      type: "RunCreated",
      at: now,
      actor: "user:dev:dev:user1",
      payload: { jobKey: "demo", catalogVersion: "0123456789ab", parameters: [] },
    };
    expect(RunEvent.parse(event)).toEqual(event);
  });

  test("invalid samples fail with messages that name the field", () => {
    expect(errorOf(InboundMessage, { ...samples.inbound, body: 42 })).toMatch(/body/);
    expect(errorOf(InboundMessage, { ...samples.inbound, receivedAt: "yesterday" })).toMatch(
      /receivedAt/,
    );
    expect(errorOf(ExecutionDispatch, { ...samples.dispatch, runId: "K7Q2M0" })).toMatch(
      /run id is 6 characters/,
    );
    expect(errorOf(ExecutionCompleted, { ...samples.completed, outcome: "Maybe" })).toMatch(
      /outcome/,
    );
    expect(
      errorOf(RunEvent, {
        runId: "K7Q2MX",
        seq: 1,
        type: "RunCreated",
        at: now,
        actor: "somebody",
        payload: { jobKey: "demo", parameters: [] },
      }),
    ).toMatch(/actor is user:<person>, user:<channel>:<address>/);
    expect(errorOf(ParsedIntent, { type: "Launch" })).toMatch(/type/);
  });

  test("a notice event notes one notice by its key, in a run of any status; it is no state event", () => {
    const copy = { channelId: "telegram", conversation: "telegram:42", idempotencyKey: "k1" };
    const noted = (type: string, payload: object) =>
      RunEvent.parse({ runId: "K7Q2MX", seq: 9, type, at: now, actor: "system", payload });

    const delivered = noted("NoticeDelivered", { ...copy, providerMessageIds: ["m1", "m2"] });
    const edited = noted("NoticeEdited", copy);
    const refused = noted("NoticeNotDelivered", { ...copy, reason: "opted out" });

    expect([delivered, edited, refused].map(isNoticeEvent)).toEqual([true, true, true]);
    expect(errorOf(RunEvent, { ...refused, payload: copy })).toMatch(/reason/);
    const created = RunEvent.parse({
      runId: "K7Q2MX",
      seq: 1,
      type: "RunCreated",
      at: now,
      actor: "user:dev:user1",
      payload: { jobKey: "demo", catalogVersion: "0123456789ab", parameters: [] },
    });
    expect(isNoticeEvent(created)).toBe(false);
  });

  test.for([
    { type: "DecidePending", decision: "approve" },
    { type: "DecidePending", decision: "deny" },
    { type: "WhoAmI" },
    { type: "Pending" },
    { type: "MyRuns" },
    { type: "Link" },
    { type: "LinkConfirm", code: "012345" },
  ])("the people intent %j parses", (intent) => {
    expect(ParsedIntent.parse(intent)).toEqual(intent);
  });

  test.for([
    [{ type: "DecidePending", decision: "maybe" }, /decision/],
    [{ type: "DecidePending" }, /decision/],
    [{ type: "LinkConfirm", code: "12345" }, /code/],
    [{ type: "LinkConfirm", code: "12345a" }, /code/],
    [{ type: "LinkConfirm" }, /code/],
  ] as const)("%j is refused", ([intent, field]) => {
    expect(errorOf(ParsedIntent, intent)).toMatch(field);
  });

  test("an envelope needs ids, type, version and time", () => {
    const envelope = {
      messageId: "a",
      type: "InboundMessage",
      schemaVersion: 1,
      occurredAt: now,
      correlationId: "c",
    };
    expect(MessageEnvelope.parse(envelope)).toEqual(envelope);
    expect(errorOf(MessageEnvelope, { ...envelope, type: "Nope" })).toMatch(/type/);
    expect(errorOf(MessageEnvelope, { ...envelope, messageId: undefined })).toMatch(/messageId/);
  });

  test("every message type routes somewhere and every work queue dead-letters", () => {
    expect(CATALOG.InboundMessage.routingKey(InboundMessage.parse(samples.inbound))).toBe(
      "inbound.dev",
    );
    const input = TOPOLOGY.queues.find((q) => q.name === QUEUES.orchestratorInput);
    expect(input?.arguments).toMatchObject({
      "x-queue-type": "quorum",
      "x-single-active-consumer": true,
      "x-dead-letter-exchange": "textops.dead-letter",
    });
    const names = TOPOLOGY.queues.map((q) => q.name);
    for (const queue of TOPOLOGY.queues.filter((q) => "x-delivery-limit" in q.arguments)) {
      expect(names).toContain(QUEUES.deadLetter(queue.name));
    }
  });

  test("a queue that hands its messages on by dead-lettering keeps them until they are taken", () => {
    const handing = TOPOLOGY.queues.filter((q) => "x-dead-letter-exchange" in q.arguments);
    expect(handing.map((q) => q.name)).toContain(delayQueue(1000));
    for (const queue of handing) {
      expect(queue.arguments, queue.name).toMatchObject({
        "x-queue-type": "quorum",
        "x-dead-letter-strategy": "at-least-once",
        "x-overflow": "reject-publish",
      });
    }
  });
});
