// The baselines' consumer, run as its own process like the orchestrator.
// With the libraries and settings the orchestrator uses (amqp-connection-manager
// over amqplib, confirm channels, quorum queues, persistent messages, the
// mongodb driver with retryWrites=false), it does the least durable work a
// message needs:
//   raw     consume and ack (no database, no publish)
//   single  per message: insert one small document, publish one confirmed message, ack
//           (up to `prefetch` messages in hand at once, as the orchestrator)
//   batch   up to `batch` messages: one insertMany, their publishes confirmed together,
//           one multiple-ack
// It reports how many messages it has finished to its parent over IPC.
// Usage (from scenarios/baselines): node baseline-consumer.js <mode> <prefetch> <batch> <collection>
import type { ConfirmChannel, ConsumeMessage } from "amqplib";
import { pino } from "pino";
import { connectBroker, declareTopology } from "@textops/messaging";
import { BASELINE_IN, BASELINE_OUT, baselineQueueArguments } from "./baseline-queues.js";
import { connectMongo } from "./mongo.js";

const MODES = ["raw", "single", "batch"] as const;
type Mode = (typeof MODES)[number];
const isMode = (s: string | undefined): s is Mode => (MODES as readonly unknown[]).includes(s);

const [mode, prefetchArg, batchArg, collectionName = "baseline"] = process.argv.slice(2);
const prefetch = Number(prefetchArg);
const batchSize = Number(batchArg);
const { AMQP_URL, MONGO_URL, MONGO_DB } = process.env;
if (!AMQP_URL || !MONGO_URL || !MONGO_DB || !isMode(mode)) {
  console.error(
    "usage: AMQP_URL MONGO_URL MONGO_DB node baseline-consumer.js raw|single|batch prefetch batch collection",
  );
  process.exit(2);
}

const log = pino({ level: "warn" });
const mongo = mode === "raw" ? null : await connectMongo(MONGO_URL);
const documents = mongo?.db(MONGO_DB).collection(collectionName);
const connection = connectBroker({ url: AMQP_URL, name: `bench baseline ${mode}`, log });

async function declareQueues(channel: ConfirmChannel) {
  await declareTopology(channel);
  for (const queue of [BASELINE_IN, BASELINE_OUT]) {
    await channel.assertQueue(queue, { durable: true, arguments: baselineQueueArguments(queue) });
  }
}

const publisher = connection.createChannel({
  name: "baseline-publisher",
  confirm: true,
  setup: declareQueues,
});
let finished = 0;

/** The small document and the message that leave with each consumed message. */
const documentOf = (message: ConsumeMessage) => ({
  messageId: String(message.properties.messageId),
  receivedAt: new Date().toISOString(),
  state: "done",
});
const publishOnward = (message: ConsumeMessage) =>
  publisher.publish("", BASELINE_OUT, message.content, {
    persistent: true,
    contentType: "application/json",
    messageId: `${String(message.properties.messageId)}:out`,
    correlationId: String(message.properties.correlationId),
    headers: message.properties.headers,
  });

let channel: ConfirmChannel | undefined;
const inHand = new Set<Promise<void>>();
const track = (promise: Promise<void>) => {
  const tracked: Promise<void> = promise.catch(fail).finally(() => inHand.delete(tracked));
  inHand.add(tracked);
};
let pending: ConsumeMessage[] = [];
let batchRunning = false;

function needed<T>(value: T | undefined | null, what: string): T {
  if (value === undefined || value === null) throw new Error(`baseline ${mode}: no ${what}`);
  return value;
}

async function handleOne(message: ConsumeMessage) {
  JSON.parse(message.content.toString("utf8"));
  if (mode === "single") {
    await needed(documents, "database").insertOne(documentOf(message));
    await publishOnward(message);
  }
  needed(channel, "channel").ack(message);
  finished += 1;
}

async function handleBatches() {
  if (batchRunning) return;
  batchRunning = true;
  try {
    while (pending.length > 0) {
      const batch = pending.slice(0, batchSize);
      pending = pending.slice(batch.length);
      for (const message of batch) JSON.parse(message.content.toString("utf8"));
      await needed(documents, "database").insertMany(batch.map(documentOf), { ordered: false });
      await Promise.all(batch.map(publishOnward));
      needed(channel, "channel").ack(needed(batch.at(-1), "message"), true);
      finished += batch.length;
    }
  } finally {
    batchRunning = false;
  }
}

const consumer = connection.createChannel({
  name: "baseline-consumer",
  confirm: true,
  setup: async (ch: ConfirmChannel) => {
    channel = ch;
    await declareQueues(ch);
  },
});
await consumer.consume(
  BASELINE_IN,
  (message) => {
    if (mode === "batch") {
      pending.push(message);
      // Whatever arrived in the same turn of the event loop joins the batch.
      setImmediate(() => track(handleBatches()));
    } else {
      track(handleOne(message));
    }
  },
  { prefetch, noAck: false },
);

function fail(error: unknown): never {
  console.error(`baseline ${mode}: ${error instanceof Error ? error.stack : String(error)}`);
  process.exit(1);
}

process.on("message", (request) => {
  if (request === "count") process.send?.({ finished });
  if (request === "stop") void stop();
});
process.send?.({ ready: true });

async function stop() {
  await consumer.cancelAll();
  // Finish what is in hand (its acks need the channel), then close.
  while (inHand.size > 0) await Promise.allSettled([...inHand]);
  await consumer.close();
  await publisher.close();
  await connection.close();
  await mongo?.close();
  process.exit(0);
}
