import { QUEUES } from "@textops/contracts";
import {
  createPublisher,
  startConsumer,
  type AmqpConnectionManager,
  type Consumer,
} from "@textops/messaging";
import { isDatabaseUnavailable } from "@textops/runtime";
import type { Db } from "mongodb";
import type { Logger } from "pino";
import { createInboxRepository, type InboxRepository } from "../adapters/mongo/inbox.repository.js";
import { createRunRepository, type RunRepository } from "../adapters/mongo/run.repository.js";
import { createCallbackHandlers } from "./callback.handler.js";
import { createInboundHandler } from "./inbound.handler.js";
import { KeyedLock } from "./keyed-lock.js";
import { createOutboxRelay } from "./outbox-relay.js";
import type { Clock, Publisher, RunIdGenerator } from "./ports.js";
import { randomRunId } from "./run-ids.js";
import { startSweeping, sweepOnce } from "./sweeper.js";

export interface OrchestratorOptions {
  db: Db;
  connection: AmqpConnectionManager;
  log: Logger;
  prefetch: number;
  approvalTtlSeconds: number;
  sweepIntervalMs: number;
  outboxAgeMs: number;
  clock?: Clock;
  newRunId?: RunIdGenerator;
  /** Wraps the real adapters, for tests that interrupt processing at a given step. */
  decorate?: Decorators;
}

export interface Decorators {
  runs?: (real: RunRepository) => RunRepository;
  inbox?: (real: InboxRepository) => InboxRepository;
  publisher?: (real: Publisher) => Publisher;
}

/**
 * The orchestrator: consumes orchestrator.input (one active consumer across
 * replicas, by the queue's single-active-consumer flag), applies each message
 * to MongoDB, publishes what the writes say to publish, and sweeps periodically.
 */
export async function createOrchestrator(options: OrchestratorOptions) {
  const { db, connection, log } = options;
  const clock = options.clock ?? Date.now;
  const decorate = options.decorate ?? {};
  const [realRuns, realInbox] = await Promise.all([
    createRunRepository(db),
    createInboxRepository(db),
  ]);
  const runs = decorate.runs?.(realRuns) ?? realRuns;
  const inbox = decorate.inbox?.(realInbox) ?? realInbox;
  const amqpPublisher = createPublisher(connection, { name: "orchestrator-publisher", log });
  const publisher = decorate.publisher?.(amqpPublisher) ?? amqpPublisher;
  const relay = createOutboxRelay({ publisher, runs, inbox, log });
  const deps = {
    runs,
    inbox,
    relay,
    publisher,
    clock,
    log,
    lock: new KeyedLock(),
    newRunId: options.newRunId ?? randomRunId,
    approvalTtlSeconds: options.approvalTtlSeconds,
    outboxAgeMs: options.outboxAgeMs,
  };
  let consumer: Consumer | undefined;
  let sweeper: { stop(): Promise<void> } | undefined;

  return {
    /** One sweep pass now (tests and start-up use it). */
    sweep: () => sweepOnce(deps),
    async start() {
      sweeper = startSweeping(deps, options.sweepIntervalMs, log);
      consumer = await startConsumer({
        connection,
        queue: QUEUES.orchestratorInput,
        prefetch: options.prefetch,
        log,
        holdWhile: isDatabaseUnavailable,
        handlers: { InboundMessage: createInboundHandler(deps), ...createCallbackHandlers(deps) },
      });
    },
    async stop() {
      await consumer?.stop();
      await sweeper?.stop();
      await amqpPublisher.close();
    },
  };
}
