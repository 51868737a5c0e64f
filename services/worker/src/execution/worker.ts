import { QUEUES, type MessageType } from "@textops/contracts";
import {
  startConsumer,
  type AmqpConnectionManager,
  type Consumer,
  type ConsumerOptions,
} from "@textops/messaging";
import { isDatabaseUnavailable } from "@textops/runtime";
import type { Logger } from "pino";
import type { ExecutionClaims } from "./ports.js";
import type { ExecutorRegistry } from "../executors/registry.js";
import { createCancelHandler } from "./cancel.handler.js";
import { controlQueueName, declareControlQueue } from "./control-queue.js";
import { createDispatchHandler } from "./dispatch.handler.js";
import type { EventPublisher } from "./execution.reporter.js";
import { createRunningJobs } from "./running-jobs.js";

export interface WorkerOptions {
  connection: AmqpConnectionManager;
  publisher: EventPublisher;
  claims: ExecutionClaims;
  executors: ExecutorRegistry;
  workerId: string;
  /** Dispatches run at once; the dispatch consumer's prefetch. */
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
 * from worker.dispatch as one of its competing consumers.
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
  const dispatch = await startReadyConsumer({
    connection,
    queue: QUEUES.workerDispatch,
    prefetch: options.concurrency,
    log,
    holdWhile: isDatabaseUnavailable,
    handlers: { ExecutionDispatch: createDispatchHandler({ ...options, running }) },
  });
  log.info({ concurrency: options.concurrency }, "worker started");

  return {
    async stop(graceSeconds) {
      const deadline = setTimeout(() => {
        const aborted = running.abortAll();
        log.warn({ aborted, graceSeconds }, "shutdown grace period over; aborting jobs");
      }, graceSeconds * 1000);
      try {
        await dispatch.stop();
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
