import { ENVELOPE_HEADERS, EXCHANGES, QUEUES, type InboundMessage } from "@textops/contracts";
import { describe, expect, queueDepth, test, withQueueReader } from "@textops/testing";
import type { Logger } from "pino";
import { connectBroker } from "./connection.js";
import { startConsumer, type Delivery } from "./consumer.js";
import { newEnvelope, publishOptions } from "./envelope.js";
import { createPublisher } from "./publisher.js";

const inbound = (providerMessageId: string): InboundMessage => ({
  channelId: "dev",
  providerMessageId,
  from: "dev:user1",
  conversation: "dev:user1",
  body: "run demo",
  receivedAt: new Date().toISOString(),
});

function setup(url: string, log: Logger) {
  const connection = connectBroker({ url, name: "test", log, minReconnectSeconds: 0.2 });
  const publisher = createPublisher(connection);
  const received: Delivery<"InboundMessage">[] = [];
  const waiters: (() => void)[] = [];
  const nextDelivery = () => new Promise<void>((resolve) => waiters.push(resolve));
  const close = async () => {
    await publisher.close();
    await connection.close();
  };
  const record = (delivery: Delivery<"InboundMessage">) => {
    received.push(delivery);
    waiters.shift()?.();
    return Promise.resolve();
  };
  return { connection, publisher, received, nextDelivery, record, close };
}

describe(startConsumer.name, () => {
  test("a published message is confirmed, consumed once and acked", async ({ rabbit, log }) => {
    const s = setup(rabbit.url, log);
    const consumer = await startConsumer({
      connection: s.connection,
      queue: QUEUES.orchestratorInput,
      prefetch: 10,
      log,
      handlers: { InboundMessage: s.record },
    });
    const delivered = s.nextDelivery();
    const envelope = await s.publisher.publish("InboundMessage", inbound("m1"), {
      correlationId: "c1",
    });
    await delivered;

    expect(s.received).toHaveLength(1);
    expect(s.received[0]?.payload.providerMessageId).toBe("m1");
    expect(s.received[0]?.envelope).toEqual(envelope);
    await consumer.stop();
    expect(await queueDepth(rabbit.url, QUEUES.orchestratorInput)).toBe(0);
    await s.close();
  });

  test("invalid messages are dead-lettered with a reason and the next valid one is still consumed", async ({
    rabbit,
    log,
  }) => {
    const s = setup(rabbit.url, log);
    const consumer = await startConsumer({
      connection: s.connection,
      queue: QUEUES.orchestratorInput,
      prefetch: 1,
      log,
      handlers: { InboundMessage: s.record },
    });
    const props = publishOptions(newEnvelope("InboundMessage", { correlationId: "bad" }));
    await s.publisher.publishRaw(EXCHANGES.inbound, "inbound.dev", Buffer.from("{not json"), props);
    const schemaInvalid = { ...inbound("m2"), body: 42 };
    await s.publisher.publishRaw(
      EXCHANGES.inbound,
      "inbound.dev",
      Buffer.from(JSON.stringify(schemaInvalid)),
      props,
    );
    const delivered = s.nextDelivery();
    await s.publisher.publish("InboundMessage", inbound("m3"), { correlationId: "good" });
    await delivered;

    expect(s.received.map((d) => d.payload.providerMessageId)).toEqual(["m3"]);
    await withQueueReader(rabbit.url, async (take) => {
      const dead = QUEUES.deadLetter(QUEUES.orchestratorInput);
      const first = await take(dead);
      const second = await take(dead);
      const reasons = [first, second].map(
        (m) => m.properties.headers?.[ENVELOPE_HEADERS.deadLetterReason] as string,
      );
      expect(reasons[0]).toMatch(/^body is not JSON/);
      expect(reasons[1]).toMatch(/^invalid InboundMessage: .*body/s);
      expect(first.content.toString()).toBe("{not json");
    });
    await consumer.stop();
    await s.close();
  });

  test("a message that fails every time is dead-lettered by the queue's delivery limit", async ({
    rabbit,
    log,
  }) => {
    const s = setup(rabbit.url, log);
    let attempts = 0;
    const consumer = await startConsumer({
      connection: s.connection,
      queue: QUEUES.orchestratorInput,
      prefetch: 1,
      log,
      retryDelayMs: () => 0,
      handlers: {
        InboundMessage: () => {
          attempts += 1;
          return Promise.reject(new Error("database unreachable"));
        },
      },
    });
    await s.publisher.publish("InboundMessage", inbound("m4"), { correlationId: "c4" });

    await withQueueReader(rabbit.url, async (take) => {
      const dead = await take(QUEUES.deadLetter(QUEUES.orchestratorInput));
      expect(JSON.parse(dead.content.toString())).toMatchObject({ providerMessageId: "m4" });
      expect(JSON.stringify(dead.properties.headers?.["x-death"])).toContain("delivery_limit");
    });
    expect(attempts).toBeGreaterThan(1);
    await consumer.stop();
    await s.close();
  });

  test("with delayed retries, a failed message comes back through a delay queue and succeeds on a later attempt", async ({
    rabbit,
    log,
  }) => {
    const s = setup(rabbit.url, log);
    const handled: Delivery<"InboundMessage">[] = [];
    const consumer = await startConsumer({
      connection: s.connection,
      queue: QUEUES.orchestratorInput,
      prefetch: 1,
      log,
      delayedRetry: { maxAttempts: 5, delayMs: () => 30 },
      handlers: {
        InboundMessage: async (delivery) => {
          handled.push(delivery);
          if (handled.length < 3) throw new Error("channel provider answered 503");
          await s.record(delivery);
        },
      },
    });
    const delivered = s.nextDelivery();
    const envelope = await s.publisher.publish("InboundMessage", inbound("m5"), {
      correlationId: "c5",
    });
    await delivered;

    expect(handled).toHaveLength(3);
    expect(new Set(handled.map((d) => d.envelope.messageId))).toEqual(
      new Set([envelope.messageId]),
    );
    await consumer.stop();
    expect(await queueDepth(rabbit.url, QUEUES.deadLetter(QUEUES.orchestratorInput))).toBe(0);
    await s.close();
  });

  test("with delayed retries, a message that fails on its last attempt is dead-lettered saying it gave up", async ({
    rabbit,
    log,
  }) => {
    const s = setup(rabbit.url, log);
    let attempts = 0;
    const consumer = await startConsumer({
      connection: s.connection,
      queue: QUEUES.orchestratorInput,
      prefetch: 1,
      log,
      delayedRetry: { maxAttempts: 3, delayMs: () => 30 },
      handlers: {
        InboundMessage: () => {
          attempts += 1;
          return Promise.reject(new Error("channel provider answered 503"));
        },
      },
    });
    await s.publisher.publish("InboundMessage", inbound("m6"), { correlationId: "c6" });

    await withQueueReader(rabbit.url, async (take) => {
      const dead = await take(QUEUES.deadLetter(QUEUES.orchestratorInput));
      expect(dead.properties.headers?.[ENVELOPE_HEADERS.deadLetterReason]).toBe(
        "gave up after 3 attempts: channel provider answered 503",
      );
      expect(JSON.parse(dead.content.toString())).toMatchObject({ providerMessageId: "m6" });
    });
    expect(attempts).toBe(3);
    await consumer.stop();
    await s.close();
  });

  test("a message whose dependency is down is held and handled once it is back, never handed back or dead-lettered", async ({
    rabbit,
    log,
  }) => {
    class Unavailable extends Error {}
    const s = setup(rabbit.url, log);
    const tries: number[] = [];
    const consumer = await startConsumer({
      connection: s.connection,
      queue: QUEUES.orchestratorInput,
      prefetch: 1,
      log,
      holdWhile: (error) => error instanceof Unavailable,
      handlers: {
        InboundMessage: async (delivery) => {
          tries.push(delivery.previousDeliveries);
          if (tries.length <= 3) throw new Unavailable("database unreachable");
          await s.record(delivery);
        },
      },
    });
    const delivered = s.nextDelivery();
    await s.publisher.publish("InboundMessage", inbound("m7"), { correlationId: "c7" });
    await delivered;

    expect(tries).toEqual([0, 0, 0, 0]);
    await consumer.stop();
    expect(await queueDepth(rabbit.url, QUEUES.deadLetter(QUEUES.orchestratorInput))).toBe(0);
    expect(await queueDepth(rabbit.url, QUEUES.orchestratorInput)).toBe(0);
    await s.close();
  });

  test("publishing and consuming resume by themselves after the broker closes the connection", async ({
    rabbit,
    log,
  }) => {
    const s = setup(rabbit.url, log);
    const consumer = await startConsumer({
      connection: s.connection,
      queue: QUEUES.orchestratorInput,
      prefetch: 5,
      log,
      handlers: { InboundMessage: s.record },
    });
    const first = s.nextDelivery();
    await s.publisher.publish("InboundMessage", inbound("before"), { correlationId: "c" });
    await first;

    const reconnected = new Promise((resolve) => s.connection.once("connect", resolve));
    expect(await rabbit.admin.closeConnections(rabbit.vhost)).toBeGreaterThan(0);
    await reconnected;

    const second = s.nextDelivery();
    await s.publisher.publish("InboundMessage", inbound("after"), { correlationId: "c" });
    await second;
    expect(s.received.map((d) => d.payload.providerMessageId)).toEqual(["before", "after"]);
    await consumer.stop();
    await s.close();
  });
});
