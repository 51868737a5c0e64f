import type { InboundMessage, OrchestratorReply, RunTimelineDocument } from "@textops/contracts";
import { QUEUES, RUN_TIMELINES } from "@textops/contracts";
import {
  connectBroker,
  createPublisher,
  startConsumer,
  type AmqpConnectionManager,
  type Delivery,
} from "@textops/messaging";
import { createHash, randomBytes } from "node:crypto";
import { Writable } from "node:stream";
import { configLoader, Directory, parseUsersFile } from "@textops/runtime";
import { expect, test as serverTest, vi } from "@textops/testing";
import type { Db } from "mongodb";
import { pino, type Level, type Logger } from "pino";
import { channelVariables } from "../channels/channel-variables.js";
import { startIngress, type Ingress } from "../ingress.js";
import type { DevChannel } from "../ports.js";

export type Cleanup = (fn: () => Promise<void>) => void;

/**
 * `test` with a `cleanup` fixture: what is registered with it is closed, last
 * first, before the test's vhost and database are removed. (Since it depends
 * on both, vitest tears it down before them; onTestFinished runs too late.)
 */
export const test = serverTest.extend<{ cleanup: Cleanup }>({
  cleanup: async ({ rabbit: _rabbit, mongo: _mongo }, use) => {
    const tasks: (() => Promise<void>)[] = [];
    await use((task) => void tasks.push(task));
    for (const task of tasks.reverse()) await task();
  },
});

export interface TestIngressOptions {
  amqpUrl: string;
  db: Db;
  log: Logger;
  cleanup: Cleanup;
  replyTimeoutMs?: number;
  publishTimeoutMs?: number;
  /** False for a broker that cannot be reached: then nothing waits for it. */
  brokerReachable?: boolean;
  /** A directory of people (closed mode); without one ingress runs open. */
  directory?: Directory;
  /** DEV_CHANNEL; `closed` unless given. */
  devChannel?: DevChannel;
}

export interface TestIngress extends Ingress {
  connection: AmqpConnectionManager;
}

const channelsOff = configLoader(channelVariables).bind(null, {});

/** Ingress as main.ts builds it, on the test's vhost and database; stopped after the test. */
export async function startTestIngress(options: TestIngressOptions): Promise<TestIngress> {
  const connection = connectBroker({
    url: options.amqpUrl,
    name: "ingress under test",
    log: options.log,
    minReconnectSeconds: 0.2,
  });
  const ingress = await startIngress({
    db: options.db,
    connection,
    log: options.log,
    replyTimeoutMs: options.replyTimeoutMs ?? 5000,
    publishTimeoutMs: options.publishTimeoutMs ?? 2000,
    people: options.directory
      ? { mode: "closed", path: "users.yaml (test)", directory: options.directory }
      : { mode: "open" },
    devChannel: options.devChannel ?? "closed",
    // The channels' defaults: SMS, Telegram and Slack off.
    channels: channelsOff(),
  });
  options.cleanup(async () => {
    await ingress.stop();
    await connection.close();
  });
  if (options.brokerReachable !== false) {
    await ingress.whenConnected();
    await consuming(connection, QUEUES.outbound("dev"));
  }
  return { ...ingress, connection };
}

/**
 * Waits until the queue has a consumer, straight from the broker. (A consumer
 * stopped while its basic.consume is still pending makes amqp-connection-manager
 * emit an error nobody listens to, so tests start once consumers are in place.)
 */
async function consuming(connection: AmqpConnectionManager, queue: string) {
  const channel = connection.createChannel({ name: "test probe", confirm: false });
  try {
    await vi.waitFor(
      async () => expect((await channel.checkQueue(queue)).consumerCount).toBeGreaterThan(0),
      { timeout: 10_000, interval: 20 },
    );
  } finally {
    await channel.close();
  }
}

/** What a stand-in orchestrator answers to an inbound message (the ids are filled in). */
export type Answer = (message: InboundMessage) => Omit<OrchestratorReply, "inboundMessageId">;

/**
 * A stand-in for our orchestrator: consumes orchestrator.input and answers
 * each message on its replyTo with the same correlation id, as the real one
 * does; with no answer given, it takes messages and stays silent.
 */
export async function startResponder(
  url: string,
  log: Logger,
  cleanup: Cleanup,
  answer: Answer | null,
) {
  const connection = connectBroker({ url, name: "test orchestrator", log });
  const publisher = createPublisher(connection, { name: "test orchestrator replies" });
  const received: Delivery<"InboundMessage">[] = [];
  const consumer = await startConsumer({
    connection,
    queue: QUEUES.orchestratorInput,
    prefetch: 1,
    log,
    handlers: {
      InboundMessage: async (delivery) => {
        received.push(delivery);
        if (!answer) return;
        const reply = {
          ...answer(delivery.payload),
          inboundMessageId: delivery.envelope.messageId,
        };
        await publisher.publish("OrchestratorReply", reply, {
          replyTo: delivery.replyTo,
          correlationId: delivery.envelope.correlationId,
          causationId: delivery.envelope.messageId,
        });
      },
    },
  });
  cleanup(async () => {
    await consumer.stop();
    await publisher.close();
    await connection.close();
  });
  return { received };
}

/** A logger whose lines the test reads back, parsed, each as pino wrote it. */
export function aCapturingLogger(level: Level = "info"): {
  log: Logger;
  lines: () => Record<string, unknown>[];
} {
  const written: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      written.push(...chunk.toString().split("\n").filter(Boolean));
      done();
    },
  });
  const lines = () => written.map((line) => JSON.parse(line) as Record<string, unknown>);
  return { log: pino({ level }, sink), lines };
}

/** One person of a test's directory: their roles, and their addresses (`dev:<id>` unless given). */
export interface TestPerson {
  roles?: string[];
  addresses?: string[];
}

/**
 * A directory of people as a users file declares it, each person with an API
 * token of their own, made at random; the file holds only its SHA-256.
 */
export function aDirectory<Id extends string>(
  people: Record<Id, TestPerson>,
): { directory: Directory; tokens: Record<Id, string> } {
  const tokens: Partial<Record<Id, string>> = {};
  const lines = ["users:"];
  for (const [id, person] of Object.entries<TestPerson>(people)) {
    const token = randomBytes(24).toString("base64url");
    tokens[id as Id] = token;
    const hash = `sha256:${createHash("sha256").update(token).digest("hex")}`;
    const entry = {
      roles: person.roles ?? [],
      addresses: person.addresses ?? [`dev:${id}`],
      apiTokens: [hash],
    };
    lines.push(`  ${id}: ${JSON.stringify(entry)}`);
  }
  const parsed = parseUsersFile(lines.join("\n"), "users.yaml (test)");
  if (!parsed.ok) throw new Error(parsed.errors.join("\n"));
  return { directory: Directory.fromFile(parsed.users), tokens: tokens as Record<Id, string> };
}

const RUN_ID = "K7Q2MX";
const AT = "2024-01-01T12:00:00.000Z";

/**
 * A run's document as the orchestrator stores it: the read model's fields and
 * the orchestrator's own (version, outbox, …), which ingress must never show.
 */
export type StoredRun = RunTimelineDocument & Record<string, unknown>;

/** Stores a run where the read model says, as the orchestrator does. */
export async function storeRun(db: Db, run: StoredRun): Promise<void> {
  await db
    .collection<{ _id: string }>(RUN_TIMELINES.collection)
    .insertOne({ ...RUN_TIMELINES.byRunId(run.runId), ...run });
}

/** A run document as the orchestrator stores it, awaiting approval, with internal fields filled. */
export function aRun(fields: Partial<RunTimelineDocument> = {}): StoredRun {
  const runId = fields.runId ?? RUN_ID;
  return {
    runId,
    jobKey: "demo",
    parameters: [{ name: "env", value: "staging" }],
    status: "AwaitingApproval",
    version: 3,
    createdAt: AT,
    updatedAt: "2024-01-01T12:00:01.000Z",
    requestedByAddress: "dev:user1",
    channelId: "dev",
    conversationId: "dev:user1",
    attempt: 0,
    approvalExpiresAt: "2024-01-02T12:00:00.000Z",
    timeoutSeconds: 600,
    retryOnWorkerLoss: false,
    maxAttempts: 1,
    lastHeartbeatAt: null,
    events: [
      {
        runId,
        seq: 1,
        type: "RunCreated",
        at: AT,
        actor: "user:dev:user1",
        payload: {
          jobKey: "demo",
          catalogVersion: "0123456789ab",
          parameters: [{ name: "env", value: "staging" }],
        },
      },
      {
        runId,
        seq: 2,
        type: "ApprovalRequested",
        at: "2024-01-01T12:00:01.000Z",
        actor: "system",
        payload: { policy: "DefaultRequireApproval", expiresAt: "2024-01-02T12:00:00.000Z" },
      },
    ],
    outbox: [
      {
        type: "OutboundMessage",
        messageId: "outbox-1",
        correlationId: runId,
        occurredAt: AT,
        payload: {
          channelId: "dev",
          conversation: "dev:user1",
          body: `Reply YES ${runId} to approve`,
          correlationId: runId,
          idempotencyKey: `approval-request:${runId}`,
        },
      },
    ],
    processed: [
      {
        key: "dev:m1",
        reply: {
          inboundMessageId: "in-1",
          intentType: "RunJob",
          jobKey: "demo",
          runId,
          dispatchedExecution: false,
          duplicate: false,
          outbound: [],
        },
      },
    ],
    ...fields,
  };
}
