import { QUEUES, poolTopology } from "@textops/contracts";
import {
  createPublisher,
  declareTopology,
  signDispatch,
  startConsumer,
  type AmqpConnectionManager,
  type Consumer,
} from "@textops/messaging";
import { isDatabaseUnavailable, type Directory } from "@textops/runtime";
import type { Db } from "mongodb";
import type { Logger } from "pino";
import { createIdentityRepository } from "./adapters/mongo/identity.repository.js";
import { createInboxRepository } from "./adapters/mongo/inbox.repository.js";
import { createJobSlotsRepository } from "./adapters/mongo/job-slots.repository.js";
import { createRunRepository } from "./adapters/mongo/run.repository.js";
import { createRunOutputReader } from "./adapters/mongo/run-output.reader.js";
import { createOrchestratorApp } from "./app/orchestrator-app.js";
import { peopleDirectoryOf } from "./app/people-directory.js";
import { poolsOf, type JobCatalog } from "./domain/catalog/index.js";
import type {
  Clock,
  InboxStore,
  JobSlots,
  Publisher,
  RunIdGenerator,
  RunStore,
} from "./app/ports.js";
import { randomRunId } from "./app/run-ids.js";
import { DEFAULT_DISPATCH_WAIT_NOTICE_SECONDS } from "./config.js";

export interface OrchestratorOptions {
  db: Db;
  connection: AmqpConnectionManager;
  log: Logger;
  catalog: JobCatalog;
  /** Signs every dispatch (the workers hold the same secret) and derives confirm codes. */
  dispatchSecret: string;
  /** The directory of people; absent, open mode. */
  directory?: Directory;
  prefetch: number;
  approvalTtlSeconds: number;
  sweepIntervalMs: number;
  outboxAgeMs: number;
  /** A dispatch no worker has taken this long is told about; 60 s unless given. */
  dispatchWaitMs?: number;
  clock?: Clock;
  newRunId?: RunIdGenerator;
  /** Wraps the real adapters, for tests that interrupt processing at a given step. */
  decorate?: Decorators;
}

export interface Decorators {
  runs?: (real: RunStore) => RunStore;
  inbox?: (real: InboxStore) => InboxStore;
  slots?: (real: JobSlots) => JobSlots;
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
  const realSlots = createJobSlotsRepository(db);
  const slots = decorate.slots?.(realSlots) ?? realSlots;
  // Every pool of the catalog has its queue before a dispatch is published to it.
  const pools = poolsOf(options.catalog);
  const amqpPublisher = createPublisher(connection, {
    name: "orchestrator-publisher",
    log,
    setup: (channel) => declareTopology(channel, poolTopology(pools)),
  });
  const publisher = decorate.publisher?.(amqpPublisher) ?? amqpPublisher;
  const app = createOrchestratorApp({
    runs,
    inbox,
    slots,
    publisher,
    signDispatch: (dispatch) => signDispatch(dispatch, options.dispatchSecret),
    catalog: options.catalog,
    output: createRunOutputReader(db, { log }),
    clock,
    log,
    newRunId: options.newRunId ?? randomRunId,
    approvalTtlSeconds: options.approvalTtlSeconds,
    outboxAgeMs: options.outboxAgeMs,
    dispatchWaitMs: options.dispatchWaitMs ?? DEFAULT_DISPATCH_WAIT_NOTICE_SECONDS * 1000,
    ...(options.directory
      ? {
          directory: peopleDirectoryOf(
            options.directory,
            createIdentityRepository(db),
            options.dispatchSecret,
          ),
        }
      : {}),
  });
  let consumer: Consumer | undefined;
  let sweeper: { stop(): Promise<void> } | undefined;

  return {
    /** One sweep pass now (tests and start-up use it). */
    sweep: app.sweep,
    async start() {
      sweeper = app.startSweeping(options.sweepIntervalMs);
      consumer = await startConsumer({
        connection,
        queue: QUEUES.orchestratorInput,
        prefetch: options.prefetch,
        log,
        holdWhile: isDatabaseUnavailable,
        handlers: app.handlers,
      });
    },
    async stop() {
      await consumer?.stop();
      await sweeper?.stop();
      await amqpPublisher.close();
    },
  };
}
