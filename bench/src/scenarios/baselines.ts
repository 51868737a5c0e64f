// Scenario 1: the limits of this machine. A consumer process (lib/baseline-consumer)
// takes messages of the orchestrator's size off a queue with orchestrator.input's
// settings while the bench keeps that queue full; its steady rate is the figure.
import { fork } from "node:child_process";
import { randomUUID } from "node:crypto";
import { fileURLToPath } from "node:url";
import { setTimeout as sleep } from "node:timers/promises";
import { z } from "zod";
import { errorMessage, newEnvelope, publishOptions } from "@textops/messaging";
import { BASELINE_IN, BASELINE_OUT, baselineQueueArguments } from "../lib/baseline-queues.js";
import { inboundMessage } from "../lib/bus.js";
import type { BenchContext } from "../lib/context.js";
import { cpuMs } from "../lib/proc.js";
import { within } from "../lib/within.js";

const consumerScript = fileURLToPath(new URL("../lib/baseline-consumer.js", import.meta.url));

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
} as const;
export type BaselineName = keyof typeof BASELINE_VARIANTS;
export const BASELINE_NAMES = Object.keys(BASELINE_VARIANTS) as BaselineName[];

export interface BaselineMeasurement {
  rate: number;
  messages: number;
  seconds: number;
  consumerCpuMsPerMessage: number | null;
}

/** What the consumer process says over IPC. */
const ConsumerReport = z.object({ finished: z.number() });

/** A message of the size and shape the orchestrator gets, with the envelope in properties. */
function sampleMessage(i: number) {
  const payload = inboundMessage("run demo", `user${i % 50}`);
  const envelope = newEnvelope("InboundMessage", { correlationId: randomUUID() });
  return { content: Buffer.from(JSON.stringify(payload)), options: publishOptions(envelope) };
}

async function prepareQueues(ctx: BenchContext) {
  for (const queue of [BASELINE_IN, BASELINE_OUT]) {
    await ctx.bus.channel.assertQueue(queue, {
      durable: true,
      arguments: baselineQueueArguments(queue),
    });
  }
  await ctx.bus.purge([BASELINE_IN, BASELINE_OUT]);
}

/** The consumer process of one variant, and how to ask it how many it has finished. */
function startConsumer(ctx: BenchContext, name: BaselineName, collection: string) {
  const variant = BASELINE_VARIANTS[name];
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
  let exitCode: number | string | null = null;
  const exited = new Promise<void>((resolve) =>
    child.once("exit", (code, signal) => {
      exitCode = signal ?? code;
      resolve();
    }),
  );
  child.on("error", () => {}); // a send to a child that is gone; its exit says the rest
  let finished = 0;
  let countWaiters: (() => void)[] = [];
  child.on("message", (m) => {
    const report = ConsumerReport.safeParse(m);
    if (!report.success) return;
    finished = report.data.finished;
    for (const w of countWaiters) w();
    countWaiters = [];
  });
  const started = within(
    new Promise((resolve) => child.once("message", resolve)),
    30_000,
    `baseline ${name}: start`,
  );
  return {
    child,
    started,
    /** The count last heard of. */
    finished: () => finished,
    /** Asks for the count now. */
    async count(): Promise<number> {
      if (!child.connected) throw new Error(`baseline ${name}: the consumer exited (${exitCode})`);
      const answered = new Promise<void>((resolve) => countWaiters.push(resolve));
      child.send("count");
      await within(answered, 10_000, `baseline ${name}: count`);
      return finished;
    },
    async stop() {
      if (child.connected) child.send("stop");
      const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Measures one variant: warm-up, then one window. */
export async function measureBaseline(
  ctx: BenchContext,
  name: BaselineName,
  {
    warmupSeconds,
    windowSeconds,
    collection,
  }: { warmupSeconds: number; windowSeconds: number; collection: string },
): Promise<BaselineMeasurement> {
  const { bus } = ctx;
  await prepareQueues(ctx);
  const consumer = startConsumer(ctx, name, collection);
  await consumer.started;

  // Keep the input queue full: at most `backlog` messages ahead of the consumer.
  let published = 0;
  let feeding = true;
  const failed: { error: Error | null } = { error: null };
  const backlog = BASELINE_VARIANTS[name].prefetch * 20 + 1000;
  const feeder = (async () => {
    while (feeding) {
      while (feeding && published - consumer.finished() < backlog) {
        const { content, options } = sampleMessage(published);
        published += 1;
        bus.publisher.publish("", BASELINE_IN, content, options).catch((error: unknown) => {
          failed.error ??= error instanceof Error ? error : new Error(errorMessage(error));
        });
        if (bus.publisher.inFlight >= 256) await sleep(0);
      }
      await sleep(5);
    }
  })();
  const poller = (async () => {
    while (feeding && consumer.child.connected) {
      await consumer.count().catch(() => {});
      await sleep(50);
    }
  })();

  try {
    await sleep(warmupSeconds * 1000);
    const cpu0 = cpuMs(consumer.child.pid);
    const n0 = await consumer.count();
    const t0 = performance.now();
    for (let s = 0; s < windowSeconds; s += 0.5) {
      await sleep(500);
      const rate = (consumer.finished() - n0) / ((performance.now() - t0) / 1000);
      ctx.progress.update(`baseline ${name}: ${Math.round(rate)} msg/s`);
    }
    const n1 = await consumer.count();
    if (failed.error) throw failed.error;
    const seconds = (performance.now() - t0) / 1000;
    const cpu1 = cpuMs(consumer.child.pid);
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
    await consumer.stop();
    await bus.purge([BASELINE_IN, BASELINE_OUT]);
  }
}
