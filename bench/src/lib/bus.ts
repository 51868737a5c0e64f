// The bench's own RabbitMQ client: one amqplib connection that publishes
// InboundMessages exactly as libs/messaging does (envelope in AMQP properties,
// persistent, confirmed) and listens for what the services send back (replies,
// dispatches, worker callbacks). Plain amqplib rather than libs/messaging's
// reconnecting connection: a bench whose connection dropped must fail, not
// carry on with a gap in its figures; and its publisher bounds the messages
// not yet confirmed, so that a fast feeder does not grow without limit.
import { randomUUID } from "node:crypto";
import amqplib, { type Channel, type ConfirmChannel, type Options } from "amqplib";
import { z } from "zod";
import {
  CATALOG,
  EXCHANGES,
  ExecutionCompleted,
  ExecutionStarted,
  InboundMessage,
  OrchestratorReply,
  QUEUES,
} from "@textops/contracts";
import { declareTopology, errorMessage, newEnvelope, publishOptions } from "@textops/messaging";
import { within } from "./within.js";

/** An InboundMessage as ingress makes it for the dev channel. */
export function inboundMessage(
  body: string,
  conversation: string,
  providerMessageId: string = randomUUID(),
): InboundMessage {
  return {
    channelId: "dev",
    providerMessageId,
    from: conversation,
    conversation,
    body,
    receivedAt: new Date().toISOString(),
  };
}

export interface ConfirmedPublisher {
  readonly inFlight: number;
  publish(
    exchange: string,
    routingKey: string,
    content: Buffer,
    options: Options.Publish,
  ): Promise<void>;
}

/** Publishes with confirms, with at most `maxInFlight` messages unconfirmed. */
function confirmedPublisher(channel: ConfirmChannel, maxInFlight: number): ConfirmedPublisher {
  let inFlight = 0;
  const waiting: (() => void)[] = [];
  return {
    get inFlight() {
      return inFlight;
    },
    async publish(exchange, routingKey, content, options) {
      while (inFlight >= maxInFlight) await new Promise<void>((resolve) => waiting.push(resolve));
      inFlight += 1;
      await new Promise<void>((resolve, reject) => {
        channel.publish(exchange, routingKey, content, options, (error: unknown) => {
          inFlight -= 1;
          waiting.shift()?.();
          if (error) reject(error instanceof Error ? error : new Error(errorMessage(error)));
          else resolve();
        });
      });
    },
  };
}

/** A worker callback seen on the bench's tap, with when it arrived (epoch ms). */
export type ExecutionEvent =
  | { type: "ExecutionStarted"; payload: ExecutionStarted; receivedAt: number }
  | { type: "ExecutionCompleted"; payload: ExecutionCompleted; receivedAt: number };

function executionEvent(type: unknown, content: unknown, receivedAt: number): ExecutionEvent {
  if (type === "ExecutionStarted") {
    return { type, payload: ExecutionStarted.parse(content), receivedAt };
  }
  if (type === "ExecutionCompleted") {
    return { type, payload: ExecutionCompleted.parse(content), receivedAt };
  }
  throw new Error(`unexpected message type ${String(type)} on the execution tap`);
}

/** A queue of the bench's own: exclusive, deleted with its connection. */
async function privateQueue(channel: Channel): Promise<string> {
  const options = { exclusive: true, autoDelete: true, durable: false };
  return (await channel.assertQueue("", options)).queue;
}

const ReplyId = z.object({ inboundMessageId: z.string() });

/** Waiters for replies, by the messageId of the message they answer. */
function replyRouter() {
  const awaiting = new Map<string, { resolve(r: OrchestratorReply): void; fail(e: Error): void }>();
  return {
    expect(messageId: string): Promise<OrchestratorReply> {
      return new Promise((resolve, fail) => awaiting.set(messageId, { resolve, fail }));
    },
    forget(messageId: string) {
      awaiting.delete(messageId);
    },
    deliver(content: Buffer) {
      const raw: unknown = JSON.parse(content.toString("utf8"));
      const id = ReplyId.safeParse(raw).data?.inboundMessageId;
      const waiter = id === undefined ? undefined : awaiting.get(id);
      if (id === undefined || !waiter) return;
      awaiting.delete(id);
      const reply = OrchestratorReply.safeParse(raw);
      if (reply.success) waiter.resolve(reply.data);
      else waiter.fail(new Error(`an invalid OrchestratorReply: ${reply.error.message}`));
    },
  };
}

export type Bus = Awaited<ReturnType<typeof connectBus>>;
export type DispatchSink = Awaited<ReturnType<Bus["sinkDispatches"]>>;

/**
 * Connects the bench to its vhost, declares the TextOps topology, and opens
 * the queues it listens on: its own reply queue, and a tap on worker callbacks.
 */
export async function connectBus(url: string) {
  const connection = await amqplib.connect(url, {
    noDelay: true, // as the services' connections: no Nagle delay on small frames
    clientProperties: { connection_name: "bench" },
  });
  const channel = await connection.createConfirmChannel();
  await declareTopology(channel);
  const publisher = confirmedPublisher(channel, 512);

  // Replies to the InboundMessages the bench publishes, by their messageId.
  const replies = await connection.createChannel();
  const replyQueue = await privateQueue(replies);
  const router = replyRouter();
  await replies.consume(replyQueue, (message) => message && router.deliver(message.content), {
    noAck: true,
  });

  // Worker callbacks, seen on a queue of the bench's own bound to textops.execution.
  const tap = await connection.createChannel();
  const tapQueue = await privateQueue(tap);
  await tap.bindQueue(tapQueue, EXCHANGES.execution, "execution.started");
  await tap.bindQueue(tapQueue, EXCHANGES.execution, "execution.completed");
  const executionListeners = new Set<(event: ExecutionEvent) => void>();
  await tap.consume(
    tapQueue,
    (message) => {
      if (!message) return;
      const content: unknown = JSON.parse(message.content.toString("utf8"));
      const event = executionEvent(message.properties.type, content, Date.now());
      for (const listener of executionListeners) listener(event);
    },
    { noAck: true },
  );

  let checked = false;
  const inbound = CATALOG.InboundMessage;

  return {
    connection,
    channel,
    publisher,
    /**
     * Publishes one InboundMessage to textops.inbound with replyTo the bench's
     * queue, and resolves with the orchestrator's OrchestratorReply.
     */
    async request(
      body: string,
      conversation: string,
      { timeoutMs = 120_000, providerMessageId = randomUUID() } = {},
    ): Promise<OrchestratorReply> {
      const payload = inboundMessage(body, conversation, providerMessageId);
      if (!checked) {
        InboundMessage.parse(payload); // the bench's messages are valid ones
        checked = true;
      }
      const envelope = newEnvelope("InboundMessage", { correlationId: randomUUID() });
      const reply = router.expect(envelope.messageId);
      await publisher.publish(
        inbound.exchange ?? "",
        inbound.routingKey(payload),
        Buffer.from(JSON.stringify(payload)),
        publishOptions(envelope, { replyTo: replyQueue }),
      );
      try {
        return await within(reply, timeoutMs, `the orchestrator's reply to "${body}"`);
      } finally {
        router.forget(envelope.messageId);
      }
    },
    /** Calls `listener` for every ExecutionStarted/Completed; returns the unsubscribe. */
    onExecution(listener: (event: ExecutionEvent) => void): () => void {
      executionListeners.add(listener);
      return () => executionListeners.delete(listener);
    },
    /**
     * Consumes worker.dispatch in place of a worker (no worker may run
     * meanwhile), acking and counting each dispatch.
     */
    async sinkDispatches() {
      const ch = await connection.createChannel();
      await ch.prefetch(500);
      let count = 0;
      let waiters: { n: number; resolve: () => void }[] = [];
      const { consumerTag } = await ch.consume(QUEUES.workerDispatch, (message) => {
        if (!message) return;
        ch.ack(message);
        count += 1;
        waiters = waiters.filter((w) => (count >= w.n ? (w.resolve(), false) : true));
      });
      return {
        get count() {
          return count;
        },
        /** Resolves once `n` dispatches in all were taken. */
        waitFor(n: number, timeoutMs = 120_000): Promise<void> {
          if (count >= n) return Promise.resolve();
          const done = new Promise<void>((resolve) => waiters.push({ n, resolve }));
          return within(done, timeoutMs, `${n} dispatches (have ${count})`);
        },
        async stop() {
          await ch.cancel(consumerTag);
          await ch.close();
        },
      };
    },
    /** Empties queues the services fill but nobody reads during a scenario. */
    async purge(queues: string[]) {
      for (const queue of queues) await channel.purgeQueue(queue);
    },
    async close() {
      await connection.close();
    },
  };
}

/**
 * Waits until an orchestrator answers: publishes `help` and waits for the reply
 * (which also proves it consumes orchestrator.input). The message waits in the
 * durable queue until a consumer takes it, so one is enough.
 */
export async function waitForOrchestrator(bus: Bus, timeoutMs = 60_000): Promise<void> {
  await bus.request("help", "bench-probe", { timeoutMs });
}
