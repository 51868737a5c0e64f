import { poolTopology, QUEUES, type ExecutionDispatch, type MessageType } from "@textops/contracts";
import {
  declareTopology,
  startConsumer,
  type AmqpConnectionManager,
  type Consumer,
  type ConsumerOptions,
} from "@textops/messaging";
import { isDatabaseUnavailable } from "@textops/runtime";
import type { Logger } from "pino";
import type { ExecutorChoice } from "../executors/select-executor.js";
import type { ExecutionClaims, RunOutputs } from "./ports.js";
import { createCancelHandler } from "./cancel.handler.js";
import { controlQueueName, declareControlQueue } from "./control-queue.js";
import { createDispatchHandler } from "./dispatch.handler.js";
import type { EventPublisher } from "./execution.reporter.js";
import { createRunningJobs } from "./running-jobs.js";

export interface WorkerOptions {
  connection: AmqpConnectionManager;
  publisher: EventPublisher;
  claims: ExecutionClaims;
  executorFor: (job: ExecutionDispatch["job"]) => ExecutorChoice;
  outputs: RunOutputs;
  dispatchSecret: string;
  /** The pools whose dispatch queues this worker consumes. */
  pools: readonly string[];
  workerId: string;
  /** Dispatches run at once, per pool; each pool consumer's prefetch. */
  concurrency: number;
  heartbeatSeconds: number;
  log: Logger;
}

export interface Worker {
  /**
   * Takes no new dispatch and waits for the running ones. Jobs still running
   * after `graceSeconds` are aborted; they complete as Failed
   * `worker shutting down`, and that completion is still published.
   */
  stop(graceSeconds: number): Promise<void>;
}

/**
 * Starts consuming cancels on the worker's own control queue, then dispatches
 * from the queue of each of its pools as one of their competing consumers.
 */
export async function startWorker(options: WorkerOptions): Promise<Worker> {
  const { connection, log, workerId } = options;
  const running = createRunningJobs();
  const control = await startReadyConsumer({
    connection,
    queue: controlQueueName(workerId),
    prefetch: 10,
    log,
    setup: declareControlQueue(workerId),
    handlers: { ExecutionCancelRequested: createCancelHandler(running) },
  });
  const handler = createDispatchHandler({ ...options, running });
  const dispatches = await Promise.all(
    options.pools.map((pool) =>
      startReadyConsumer({
        connection,
        queue: QUEUES.dispatch(pool),
        prefetch: options.concurrency,
        log: log.child({ pool }),
        holdWhile: isDatabaseUnavailable,
        setup: (channel) => declareTopology(channel, poolTopology([pool])),
        handlers: { ExecutionDispatch: handler },
      }),
    ),
  );
  const queues = options.pools.map((pool) => QUEUES.dispatch(pool));
  log.info({ concurrency: options.concurrency, pools: options.pools, queues }, "worker started");

  return {
    async stop(graceSeconds) {
      const deadline = setTimeout(() => {
        const aborted = running.abortAll();
        log.warn({ aborted, graceSeconds }, "shutdown grace period over; aborting jobs");
      }, graceSeconds * 1000);
      try {
        await Promise.all(dispatches.map((consumer) => consumer.stop()));
      } finally {
        clearTimeout(deadline);
        await control.stop();
      }
      log.info("worker stopped");
    },
  };
}

/**
 * startConsumer, resolving only once the consumer's channel is set up (its
 * queue declared and bound), so no cancel sent after start-up is missed.
 */
async function startReadyConsumer<K extends MessageType>(
  options: ConsumerOptions<K>,
): Promise<Consumer> {
  let ready = () => {};
  const setUp = new Promise<void>((resolve) => (ready = resolve));
  const consumer = await startConsumer({
    ...options,
    setup: async (channel) => {
      await options.setup?.(channel);
      ready();
    },
  });
  await setUp;
  return consumer;
}
