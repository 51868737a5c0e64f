import { connectBroker, waitForBroker } from "@textops/messaging";
import type { MongoContext, RabbitContext } from "@textops/testing";
import type { Directory } from "@textops/runtime";
import type { Logger } from "pino";
import { createOrchestrator, type Decorators } from "../orchestrator.js";
import type { Clock } from "../app/ports.js";
import type { JobCatalog } from "../domain/catalog/index.js";
import { shippedCatalog, TEST_DISPATCH_SECRET } from "./test-catalog.js";

export interface HarnessOptions {
  rabbit: RabbitContext;
  mongo: MongoContext;
  log: Logger;
  clock?: Clock;
  /** Run ids handed out in this order (then random ones), for reproducible runs. */
  runIds?: string[];
  decorate?: Decorators;
  approvalTtlSeconds?: number;
  dispatchWaitMs?: number;
  /** The shipped catalog (config/jobs.yaml) unless given. */
  catalog?: JobCatalog;
  /** A directory of people (closed mode); open mode unless given. */
  directory?: Directory;
}

/** A real orchestrator on the test's vhost and database; sweeps only when asked. */
export async function startOrchestrator(options: HarnessOptions) {
  const connection = connectBroker({
    url: options.rabbit.url,
    name: "orchestrator under test",
    log: options.log,
    minReconnectSeconds: 0.2,
  });
  // As main.ts does: the orchestrator starts once the broker answers.
  await waitForBroker(connection, { what: "the test's RabbitMQ vhost", log: options.log });
  const ids = [...(options.runIds ?? [])];
  const orchestrator = await createOrchestrator({
    db: options.mongo.db,
    connection,
    log: options.log,
    catalog: options.catalog ?? shippedCatalog(),
    dispatchSecret: TEST_DISPATCH_SECRET,
    prefetch: 16,
    approvalTtlSeconds: options.approvalTtlSeconds ?? 3600,
    sweepIntervalMs: 3_600_000,
    outboxAgeMs: 0,
    ...(options.dispatchWaitMs === undefined ? {} : { dispatchWaitMs: options.dispatchWaitMs }),
    ...(options.clock ? { clock: options.clock } : {}),
    ...(ids.length > 0 ? { newRunId: () => ids.shift() ?? randomId() } : {}),
    ...(options.decorate ? { decorate: options.decorate } : {}),
    ...(options.directory ? { directory: options.directory } : {}),
  });
  await orchestrator.start();
  let stopped: Promise<void> | undefined;
  const stop = () => {
    stopped ??= orchestrator.stop().finally(() => connection.close());
    return stopped;
  };
  return { sweep: orchestrator.sweep, stop };
}

function randomId() {
  const alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  return Array.from({ length: 6 }, () => alphabet[Math.floor(Math.random() * 32)]).join("");
}
