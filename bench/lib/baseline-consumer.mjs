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
// Usage (from run.mjs): node baseline-consumer.mjs <mode> <prefetch> <batch> <collection>
import { connectBroker, declareTopology } from "@textops/messaging";
import { MongoClient } from "mongodb";
import { pino } from "pino";
import { BASELINE_IN, BASELINE_OUT, baselineQueueArguments } from "./baseline-queues.mjs";

const [mode, prefetchArg, batchArg, collectionName] = process.argv.slice(2);
const prefetch = Number(prefetchArg);
const batchSize = Number(batchArg);
const { AMQP_URL, MONGO_URL, MONGO_DB } = process.env;
if (!AMQP_URL || !MONGO_URL || !MONGO_DB || !["raw", "single", "batch"].includes(mode)) {
  console.error(
    "usage: AMQP_URL MONGO_URL MONGO_DB node baseline-consumer.mjs raw|single|batch prefetch batch collection",
  );
  process.exit(2);
}

const log = pino({ level: "warn" });
const mongo =
  mode === "raw"
    ? null
    : await MongoClient.connect(MONGO_URL, { serverSelectionTimeoutMS: 10_000 });
const documents = mongo?.db(MONGO_DB).collection(collectionName);
const connection = connectBroker({ url: AMQP_URL, name: `bench baseline ${mode}`, log });

async function declareQueues(channel) {
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
const documentOf = (message) => ({
  messageId: message.properties.messageId,
  receivedAt: new Date().toISOString(),
  state: "done",
});
const publishOnward = (message) =>
  publisher.publish("", BASELINE_OUT, message.content, {
    persistent: true,
    contentType: "application/json",
    messageId: `${message.properties.messageId}:out`,
    correlationId: message.properties.correlationId,
    headers: message.properties.headers,
  });

/** @type {import("amqplib").ConfirmChannel | undefined} */
let channel;
/** @type {Set<Promise<void>>} */
const inHand = new Set();
const track = (promise) => {
  const tracked = promise.catch(fail).finally(() => inHand.delete(tracked));
  inHand.add(tracked);
};
/** @type {import("amqplib").ConsumeMessage[]} */
let pending = [];
let batchRunning = false;

async function handleOne(message) {
  JSON.parse(message.content.toString("utf8"));
  if (mode === "single") {
    await documents.insertOne(documentOf(message));
    await publishOnward(message);
  }
  channel.ack(message);
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
      await documents.insertMany(batch.map(documentOf), { ordered: false });
      await Promise.all(batch.map(publishOnward));
      channel.ack(batch[batch.length - 1], true);
      finished += batch.length;
    }
  } finally {
    batchRunning = false;
  }
}

const consumer = connection.createChannel({
  name: "baseline-consumer",
  confirm: true,
  setup: async (ch) => {
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

function fail(error) {
  console.error(`baseline ${mode}: ${error?.stack ?? error}`);
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
