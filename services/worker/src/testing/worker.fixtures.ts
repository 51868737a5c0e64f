import {
  EXCHANGES,
  QUEUES,
  type ExecutionDispatch,
  type ExecutionOutcome,
  type ExecutorKind,
  type JobDefinition,
  type UnsignedDispatch,
} from "@textops/contracts";
import { connectBroker, createPublisher, signDispatch } from "@textops/messaging";
import { test as base, expect, type withQueueReader } from "@textops/testing";
import type { Db } from "mongodb";
import type { Logger } from "pino";
import { createExecutionClaims } from "../adapters/mongo/execution-claims.js";
import { createRunOutputStore } from "../adapters/mongo/run-output.writer.js";
import { startWorker, type WorkerOptions } from "../execution/worker.js";
import { builtInExecutors } from "../executors/registry.js";
import { selectExecutor } from "../executors/select-executor.js";

/** Test helpers for the worker's integration tests, against a real RabbitMQ. */

export const WORKER_ID = "worker-test";
export const RUN_ID = "K7Q2MX";

/**
 * Where tests read what the worker published. orchestrator.input itself
 * cannot be read with basic.get (a single-active-consumer quorum queue refuses
 * it), so a queue of the test's own is bound to the same exchange beside it.
 */
export const REPORTS = "test.execution-reports";

/** The secret the test orchestrator signs with and the test workers verify with. */
export const TEST_DISPATCH_SECRET = "test-dispatch-secret-0123456789";

/** A catalog entry for one of the worker's built-in jobs, named as the job. */
export const builtinJob = (name: string, fields: Partial<JobDefinition> = {}): JobDefinition => ({
  description: `the built-in ${name}`,
  parameters: {},
  executor: { kind: "builtin", name },
  timeoutSeconds: 60,
  retry: { maxAttempts: 3, onWorkerLoss: false, onExitCodes: [] },
  pool: "default",
  ...fields,
});

/** A signed dispatch of the built-in job named by `jobKey` (demo unless given), unless `job` is given. */
export function aDispatch(fields: Partial<UnsignedDispatch> = {}): ExecutionDispatch {
  const jobKey = fields.jobKey ?? "demo";
  const unsigned: UnsignedDispatch = {
    runId: RUN_ID,
    attempt: 1,
    jobKey,
    job: builtinJob(jobKey),
    catalogVersion: "0123456789ab",
    parameters: [],
    timeoutSeconds: 60,
    retryOnWorkerLoss: false,
    requestedBy: "user:dev:alice",
    approvedBy: ["user:dev:bob"],
    dispatchedAt: new Date().toISOString(),
    ...fields,
  };
  return signDispatch(unsigned, TEST_DISPATCH_SECRET);
}

export interface TestOrchestrator {
  dispatch(fields?: Partial<UnsignedDispatch>): Promise<ExecutionDispatch>;
  /** Publishes a dispatch exactly as given, signed or not. */
  publishAsIs(dispatch: ExecutionDispatch): Promise<void>;
  cancel(runId: string, attempt: number): Promise<void>;
}

export interface TestWorker {
  /** Stops the worker once; later calls wait for the same stop. */
  stop(graceSeconds?: number): Promise<void>;
}

export interface TestWorkers {
  /**
   * A worker as main.ts builds it, with a short demo pause and slow
   * heartbeats, running every executor kind unless `executorKinds` says.
   */
  start(options?: Partial<WorkerOptions> & { executorKinds?: ExecutorKind[] }): Promise<TestWorker>;
}

type ChannelSetup = NonNullable<NonNullable<Parameters<typeof createPublisher>[1]>["setup"]>;

const bindReportsQueue: ChannelSetup = async (channel) => {
  await channel.assertQueue(REPORTS, { durable: false, arguments: { "x-queue-type": "classic" } });
  await channel.bindQueue(REPORTS, EXCHANGES.execution, "#");
};

/**
 * `test` with an `orchestrator` that sends dispatches and cancels (its first
 * publish also declares the reports queue) and `workers` to start. Both are
 * closed before the test's vhost is removed.
 */
export const test = base.extend<{ orchestrator: TestOrchestrator; workers: TestWorkers }>({
  orchestrator: async ({ rabbit, log }, use) => {
    const connection = connectBroker({ url: rabbit.url, name: "test orchestrator", log });
    const publisher = createPublisher(connection, { setup: bindReportsQueue });
    await use({
      async dispatch(fields) {
        const dispatch = aDispatch(fields);
        await publisher.publish("ExecutionDispatch", dispatch, { correlationId: dispatch.runId });
        return dispatch;
      },
      async publishAsIs(dispatch) {
        await publisher.publish("ExecutionDispatch", dispatch, { correlationId: dispatch.runId });
      },
      async cancel(runId, attempt) {
        const payload = { runId, attempt };
        await publisher.publish("ExecutionCancelRequested", payload, { correlationId: runId });
      },
    });
    await publisher.close();
    await connection.close();
  },
  workers: async ({ rabbit, mongo, log }, use) => {
    const closers: (() => Promise<void>)[] = [];
    await use({
      async start(options = {}) {
        const claims = createExecutionClaims(mongo.db);
        const outputs = createRunOutputStore(mongo.db, { log, flushIntervalMs: 50 });
        const { executorKinds = ["builtin", "http", "shell"], ...rest } = options;
        const base = { claims, outputs, executorFor: executorsOf(executorKinds), ...rest };
        const { worker, close } = await startTestWorker(rabbit.url, log, base);
        closers.push(close);
        return worker;
      },
    });
    await Promise.all(closers.map((close) => close()));
  },
});

/** The executors a worker allowed these kinds chooses from, as main.ts makes them. */
function executorsOf(kinds: readonly ExecutorKind[]): WorkerOptions["executorFor"] {
  const choose = {
    allowed: new Set(kinds),
    builtins: builtInExecutors({ demoDelayMs: 20 }),
    env: {},
    killGraceMs: 2000,
  };
  return (job) => selectExecutor(job, choose);
}

async function startTestWorker(
  url: string,
  log: Logger,
  options: Partial<WorkerOptions> & Pick<WorkerOptions, "claims" | "outputs">,
) {
  const connection = connectBroker({ url, name: "test worker", log });
  const publisher = createPublisher(connection);
  await publisher.channel.waitForConnect();
  const worker = await startWorker({
    connection,
    publisher,
    executorFor: executorsOf(["builtin", "http", "shell"]),
    dispatchSecret: TEST_DISPATCH_SECRET,
    pools: ["default"],
    workerId: WORKER_ID,
    concurrency: 1,
    heartbeatSeconds: 60,
    log,
    ...options,
  });
  let stopped: Promise<void> | undefined;
  const stop = (graceSeconds = 30) => (stopped ??= worker.stop(graceSeconds));
  const close = async () => {
    await stop(0);
    await publisher.close();
    await connection.close();
  };
  return { worker: { stop }, close };
}

/**
 * A worker that takes a dispatch and dies without acking it, having claimed
 * the attempt in `claimIn` (it was running the job) or not (it died before it began).
 */
export async function crashWhileHoldingADispatch(
  url: string,
  log: Logger,
  claimIn?: Db,
): Promise<void> {
  const connection = connectBroker({ url, name: "crashing worker", log });
  const channel = connection.createChannel({ name: "crashing" });
  let took = () => {};
  const taken = new Promise<void>((resolve) => (took = resolve));
  await channel.consume(QUEUES.workerDispatch, () => took(), { prefetch: 1 });
  await taken;
  if (claimIn) await createExecutionClaims(claimIn).claim(RUN_ID, 1, "crashing-worker");
  await connection.close();
}

export type Take = Parameters<Parameters<typeof withQueueReader>[1]>[0];

export interface Published {
  type: string;
  correlationId: string;
  payload: Record<string, unknown>;
}

/** The next message the worker published for the orchestrator. */
export async function next(take: Take): Promise<Published> {
  const message = await take(REPORTS);
  return {
    type: String(message.properties.type),
    correlationId: String(message.properties.correlationId),
    payload: JSON.parse(message.content.toString()) as Record<string, unknown>,
  };
}

/** What ExecutionStarted of RUN_ID's first attempt looks like. */
export const started = {
  type: "ExecutionStarted",
  correlationId: RUN_ID,
  payload: expect.objectContaining({ runId: RUN_ID, attempt: 1, workerId: WORKER_ID }) as unknown,
};

/** What ExecutionCompleted of RUN_ID's first attempt looks like. */
export const completed = (outcome: ExecutionOutcome, summary: string) => ({
  type: "ExecutionCompleted",
  correlationId: RUN_ID,
  payload: expect.objectContaining({
    runId: RUN_ID,
    attempt: 1,
    workerId: WORKER_ID,
    outcome,
    summary,
  }) as unknown,
});
