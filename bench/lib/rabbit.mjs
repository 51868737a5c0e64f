// The bench's own RabbitMQ client: management API calls, and one amqplib
// connection that publishes InboundMessages exactly as libs/messaging does
// (envelope in AMQP properties, persistent, confirmed) and listens for what
// the services send back (replies, dispatches, worker callbacks).
import { randomUUID } from "node:crypto";
import amqplib from "amqplib";
import { CATALOG, EXCHANGES, InboundMessage, QUEUES, TOPOLOGY } from "@textops/contracts";
import { declareTopology, newEnvelope, publishOptions } from "@textops/messaging";

/** @param {string} apiBase e.g. http://guest:guest@127.0.0.1:15672/api */
export function rabbitAdmin(apiBase) {
  const url = new URL(apiBase);
  const user = decodeURIComponent(url.username);
  const auth = `Basic ${Buffer.from(`${user}:${decodeURIComponent(url.password)}`).toString("base64")}`;
  const base = `${url.protocol}//${url.host}${url.pathname.replace(/\/$/, "")}`;
  const v = encodeURIComponent;
  async function call(method, path, body) {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: { authorization: auth, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(15_000),
    });
    if (!response.ok && response.status !== 404) {
      throw new Error(
        `RabbitMQ API ${method} ${path}: ${response.status} ${await response.text()}`,
      );
    }
    return response;
  }
  return {
    async createVhost(vhost) {
      await call("PUT", `/vhosts/${v(vhost)}`, {});
      await call("PUT", `/permissions/${v(vhost)}/${v(user)}`, {
        configure: ".*",
        write: ".*",
        read: ".*",
      });
    },
    async deleteVhost(vhost) {
      await call("DELETE", `/vhosts/${v(vhost)}`);
    },
    async overview() {
      return (await call("GET", "/overview")).json();
    },
  };
}

/** The arguments of orchestrator.input (quorum, delivery limit, dead-lettering, single active consumer). */
export const ORCHESTRATOR_QUEUE_ARGUMENTS = TOPOLOGY.queues.find(
  (q) => q.name === QUEUES.orchestratorInput,
).arguments;

/** An InboundMessage as ingress makes it for the dev channel. */
export function inboundMessage(body, conversation, providerMessageId = randomUUID()) {
  return {
    channelId: "dev",
    providerMessageId,
    from: conversation,
    conversation,
    body,
    receivedAt: new Date().toISOString(),
  };
}

/**
 * Publishes with confirms, with at most `maxInFlight` messages unconfirmed.
 * @param {import("amqplib").ConfirmChannel} channel
 */
function confirmedPublisher(channel, maxInFlight) {
  let inFlight = 0;
  /** @type {(() => void)[]} */
  const waiting = [];
  return {
    get inFlight() {
      return inFlight;
    },
    async publish(exchange, routingKey, content, options) {
      while (inFlight >= maxInFlight) await new Promise((resolve) => waiting.push(resolve));
      inFlight += 1;
      await new Promise((resolve, reject) => {
        channel.publish(exchange, routingKey, content, options, (error) => {
          inFlight -= 1;
          waiting.shift()?.();
          if (error) reject(error instanceof Error ? error : new Error(String(error)));
          else resolve();
        });
      });
    },
  };
}

/** Rejects with a clear message when `promise` takes longer than `ms`. */
export function within(promise, ms, what) {
  let timer;
  const deadline = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

/**
 * Connects the bench to its vhost, declares the TextOps topology, and opens
 * the queues it listens on: its own reply queue, and a tap on worker callbacks.
 * @param {string} url AMQP URL with the bench's vhost
 */
export async function connectBus(url) {
  const connection = await amqplib.connect(url, {
    noDelay: true, // as the services' connections: no Nagle delay on small frames
    clientProperties: { connection_name: "bench" },
  });
  const channel = await connection.createConfirmChannel();
  await declareTopology(channel);
  const publisher = confirmedPublisher(channel, 512);

  // Replies to the InboundMessages the bench publishes, by their messageId.
  const replies = await connection.createChannel();
  const { queue: replyQueue } = await replies.assertQueue("", {
    exclusive: true,
    autoDelete: true,
    durable: false,
  });
  /** @type {Map<string, (reply: any) => void>} */
  const awaitingReply = new Map();
  await replies.consume(
    replyQueue,
    (message) => {
      if (!message) return;
      const reply = JSON.parse(message.content.toString("utf8"));
      const resolve = awaitingReply.get(reply.inboundMessageId);
      awaitingReply.delete(reply.inboundMessageId);
      resolve?.(reply);
    },
    { noAck: true },
  );

  // Worker callbacks, seen on a queue of the bench's own bound to textops.execution.
  const tap = await connection.createChannel();
  const { queue: tapQueue } = await tap.assertQueue("", {
    exclusive: true,
    autoDelete: true,
    durable: false,
  });
  await tap.bindQueue(tapQueue, EXCHANGES.execution, "execution.started");
  await tap.bindQueue(tapQueue, EXCHANGES.execution, "execution.completed");
  /** @type {Set<(type: string, payload: any, receivedAt: number) => void>} */
  const executionListeners = new Set();
  await tap.consume(
    tapQueue,
    (message) => {
      if (!message) return;
      const receivedAt = Date.now();
      const payload = JSON.parse(message.content.toString("utf8"));
      for (const listener of executionListeners)
        listener(message.properties.type, payload, receivedAt);
    },
    { noAck: true },
  );

  let checked = false;
  const inbound = CATALOG.InboundMessage;

  const bus = {
    connection,
    channel,
    publisher,
    /**
     * Publishes one InboundMessage to textops.inbound with replyTo the bench's
     * queue, and resolves with the orchestrator's OrchestratorReply.
     */
    async request(
      body,
      conversation,
      { timeoutMs = 120_000, providerMessageId = randomUUID() } = {},
    ) {
      const payload = inboundMessage(body, conversation, providerMessageId);
      if (!checked) {
        InboundMessage.parse(payload); // the bench's messages are valid ones
        checked = true;
      }
      const envelope = newEnvelope("InboundMessage", { correlationId: randomUUID() });
      const reply = new Promise((resolve) => awaitingReply.set(envelope.messageId, resolve));
      await publisher.publish(
        inbound.exchange,
        inbound.routingKey(payload),
        Buffer.from(JSON.stringify(payload)),
        publishOptions(envelope, { replyTo: replyQueue }),
      );
      try {
        return await within(reply, timeoutMs, `the orchestrator's reply to "${body}"`);
      } finally {
        awaitingReply.delete(envelope.messageId);
      }
    },
    /** Calls `listener(type, payload, receivedAtMs)` for every ExecutionStarted/Completed. */
    onExecution(listener) {
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
      /** @type {{ n: number, resolve: () => void }[]} */
      let waiters = [];
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
        waitFor(n, timeoutMs = 120_000) {
          if (count >= n) return Promise.resolve();
          const done = new Promise((resolve) => waiters.push({ n, resolve }));
          return within(done, timeoutMs, `${n} dispatches (have ${count})`);
        },
        async stop() {
          await ch.cancel(consumerTag);
          await ch.close();
        },
      };
    },
    /** Empties queues the services fill but nobody reads during a scenario. */
    async purge(queues) {
      for (const queue of queues) await channel.purgeQueue(queue);
    },
    async close() {
      await connection.close();
    },
  };
  return bus;
}

/**
 * Waits until an orchestrator answers: publishes `help` and waits for the reply
 * (which also proves it consumes orchestrator.input). The message waits in the
 * durable queue until a consumer takes it, so one is enough.
 */
export async function waitForOrchestrator(bus, timeoutMs = 60_000) {
  await bus.request("help", "bench-probe", { timeoutMs });
}
