// Scenario 1: the limits of this machine. A consumer process (baseline-consumer.mjs)
// takes messages of the orchestrator's size off a queue with orchestrator.input's
// settings while the bench keeps that queue full; its steady rate is the figure.
import { fork } from "node:child_process";
import { randomUUID } from "node:crypto";
import { fileURLToPath } from "node:url";
import { setTimeout as sleep } from "node:timers/promises";
import { newEnvelope, publishOptions } from "@textops/messaging";
import { BASELINE_IN, BASELINE_OUT, baselineQueueArguments } from "../lib/baseline-queues.mjs";
import { inboundMessage, within } from "../lib/rabbit.mjs";
import { cpuMs } from "../lib/services.mjs";

const consumerScript = fileURLToPath(new URL("../lib/baseline-consumer.mjs", import.meta.url));

/** The baseline variants: what the consumer does, with which prefetch and batch size. */
export const BASELINE_VARIANTS = {
  /** (a) publish with confirms, consume with acks; no database. */
  raw: { mode: "raw", prefetch: 32, batch: 1 },
  /** (b) one message at a time, literally: prefetch 1. */
  serial: { mode: "single", prefetch: 1, batch: 1 },
  /** (b) one message at a time each, up to 32 in hand, as the orchestrator. */
  single: { mode: "single", prefetch: 32, batch: 1 },
  /** (b) batches of up to 100: one insertMany, confirms awaited together, one multiple-ack. */
  batch: { mode: "batch", prefetch: 200, batch: 100 },
};

/** A message of the size and shape the orchestrator gets, with the envelope in properties. */
function sampleMessage(i) {
  const payload = inboundMessage("run demo", `user${i % 50}`);
  const envelope = newEnvelope("InboundMessage", { correlationId: randomUUID() });
  return { content: Buffer.from(JSON.stringify(payload)), options: publishOptions(envelope) };
}

/**
 * Measures one variant: warm-up, then one window. Returns messages/s.
 * @param {{ bus: any, amqpUrl: string, mongoUrl: string, db: string, progress: any }} ctx
 */
export async function measureBaseline(ctx, name, { warmupSeconds, windowSeconds, collection }) {
  const variant = BASELINE_VARIANTS[name];
  const { bus } = ctx;
  await bus.channel.assertQueue(BASELINE_IN, {
    durable: true,
    arguments: baselineQueueArguments(BASELINE_IN),
  });
  await bus.channel.assertQueue(BASELINE_OUT, {
    durable: true,
    arguments: baselineQueueArguments(BASELINE_OUT),
  });
  await bus.purge([BASELINE_IN, BASELINE_OUT]);

  const child = fork(
    consumerScript,
    [variant.mode, String(variant.prefetch), String(variant.batch), collection],
    {
      env: {
        PATH: process.env.PATH,
        AMQP_URL: ctx.amqpUrl,
        MONGO_URL: ctx.mongoUrl,
        MONGO_DB: ctx.db,
      },
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    },
  );
  let exitCode = null;
  const exited = new Promise((resolve) =>
    child.once("exit", (code, signal) => {
      exitCode = signal ?? code;
      resolve(exitCode);
    }),
  );
  child.on("error", () => {}); // a send to a child that is gone; its exit says the rest
  let finished = 0;
  /** @type {(() => void)[]} */
  let countWaiters = [];
  child.on("message", (m) => {
    if (typeof m?.finished === "number") {
      finished = m.finished;
      for (const w of countWaiters) w();
      countWaiters = [];
    }
  });
  const count = async () => {
    if (!child.connected) throw new Error(`baseline ${name}: the consumer exited (${exitCode})`);
    const answered = new Promise((resolve) => countWaiters.push(resolve));
    child.send("count");
    await within(answered, 10_000, `baseline ${name}: count`);
    return finished;
  };
  await within(
    new Promise((resolve) => child.once("message", resolve)),
    30_000,
    `baseline ${name}: start`,
  );

  // Keep the input queue full: at most `backlog` messages ahead of the consumer.
  let published = 0;
  let feeding = true;
  let publishError = null;
  const backlog = variant.prefetch * 20 + 1000;
  const feeder = (async () => {
    while (feeding) {
      while (feeding && published - finished < backlog) {
        const { content, options } = sampleMessage(published);
        published += 1;
        bus.publisher.publish("", BASELINE_IN, content, options).catch((error) => {
          publishError ??= error;
        });
        if (bus.publisher.inFlight >= 256) await sleep(0);
      }
      await sleep(5);
    }
  })();
  const poller = (async () => {
    while (feeding && child.connected) {
      await count().catch(() => {});
      await sleep(50);
    }
  })();

  try {
    await sleep(warmupSeconds * 1000);
    const cpu0 = cpuMs(child.pid);
    const n0 = await count();
    const t0 = performance.now();
    for (let s = 0; s < windowSeconds; s += 0.5) {
      await sleep(500);
      ctx.progress.update(
        `baseline ${name}: ${Math.round((finished - n0) / ((performance.now() - t0) / 1000))} msg/s`,
      );
    }
    const n1 = await count();
    if (publishError) throw publishError;
    const seconds = (performance.now() - t0) / 1000;
    const cpu1 = cpuMs(child.pid);
    return {
      rate: (n1 - n0) / seconds,
      messages: n1 - n0,
      seconds,
      consumerCpuMsPerMessage:
        n1 > n0 && cpu0 !== null && cpu1 !== null ? (cpu1 - cpu0) / (n1 - n0) : null,
    };
  } finally {
    feeding = false;
    await Promise.allSettled([feeder, poller]);
    if (child.connected) child.send("stop");
    const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
    await exited;
    clearTimeout(timer);
    await bus.purge([BASELINE_IN, BASELINE_OUT]);
  }
}
