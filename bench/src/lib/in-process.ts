// The compiled orchestrator run inside a diagnostic script, on a RabbitMQ vhost
// and a database of its own that are removed afterwards, whatever happens.
import type { Db, MongoClient } from "mongodb";
import { pino } from "pino";
import { connectBroker } from "@textops/messaging";
import { rabbitAdmin, vhostUrl } from "@textops/testing/admin";
import type { BenchConfig } from "./config.js";
import { connectMongo, connectMonitoredMongo } from "./mongo.js";
import {
  createOrchestrator,
  shippedCatalog,
  type OrchestratorOptions,
} from "./orchestrator-internals.js";
import { BENCH_DISPATCH_SECRET } from "./services.js";

export type InProcessOrchestrator = Awaited<ReturnType<typeof createOrchestrator>>;
export type OrchestratorSettings = Pick<
  OrchestratorOptions,
  "prefetch" | "approvalTtlSeconds" | "sweepIntervalMs" | "outboxAgeMs"
>;

export interface InProcessContext {
  client: MongoClient;
  db: Db;
  orchestrator: InProcessOrchestrator;
  amqpUrl: string;
}

/**
 * Creates the vhost and the database, connects, creates the orchestrator with
 * `settings` (not started), hands them to `work`, and tears everything down afterwards.
 * `name` is short: part of the vhost and database names.
 */
export async function withInProcessOrchestrator(
  name: string,
  options: { config: BenchConfig; settings: OrchestratorSettings; monitorCommands?: boolean },
  work: (ctx: InProcessContext) => Promise<void>,
): Promise<void> {
  const { config } = options;
  const stamp = Date.now().toString(36);
  const vhost = `textops-bench-${name}-${stamp}`;
  const dbName = `bench_${name.replaceAll("-", "_")}_${stamp}`;
  const admin = rabbitAdmin(config.rabbitApi);
  await admin.createVhost(vhost);
  const amqpUrl = vhostUrl(config.amqpBase, vhost);
  const client = options.monitorCommands
    ? await connectMonitoredMongo(config.mongoUrl)
    : await connectMongo(config.mongoUrl);
  const log = pino({ level: "warn" });
  const connection = connectBroker({ url: amqpUrl, name: `bench ${name}`, log });
  let orchestrator: InProcessOrchestrator | undefined;
  try {
    const db = client.db(dbName);
    orchestrator = await createOrchestrator({
      db,
      connection,
      log,
      catalog: shippedCatalog(),
      dispatchSecret: BENCH_DISPATCH_SECRET,
      ...options.settings,
    });
    await work({ client, db, orchestrator, amqpUrl });
  } finally {
    await orchestrator?.stop();
    await connection.close();
    await client.db(dbName).dropDatabase();
    await client.close();
    await admin.deleteVhost(vhost);
  }
}
