// The compiled orchestrator (services/orchestrator/dist, unchanged) run inside a
// diagnostic script, on a RabbitMQ vhost and a database of its own that are
// removed afterwards, whatever happens.
import { fileURLToPath } from "node:url";
import { MongoClient } from "mongodb";
import { pino } from "pino";
import { connectBroker } from "@textops/messaging";
import { loadBenchConfig } from "./config.mjs";
import { rabbitAdmin } from "./rabbit.mjs";

/** A module of the compiled orchestrator, by its path under dist/. */
export const orchestratorModule = (path) =>
  import(fileURLToPath(new URL(`../../services/orchestrator/dist/${path}`, import.meta.url)));

/**
 * Creates the vhost and the database, connects, creates the orchestrator with
 * `settings` (not started), hands `{ client, db, orchestrator, amqpUrl }` to
 * `work`, and tears everything down afterwards.
 * @param {string} name short name, part of the vhost and database names
 * @param {{ mongoOptions?: import("mongodb").MongoClientOptions, settings: object }} options
 * @param {(ctx: { client: MongoClient, db: import("mongodb").Db, orchestrator: any, amqpUrl: string }) => Promise<void>} work
 */
export async function withInProcessOrchestrator(name, options, work) {
  const config = loadBenchConfig(process.env);
  const { createOrchestrator } = await orchestratorModule("app/orchestrator.js");
  const stamp = Date.now().toString(36);
  const vhost = `textops-bench-${name}-${stamp}`;
  const dbName = `bench_${name.replaceAll("-", "_")}_${stamp}`;
  const admin = rabbitAdmin(config.rabbitApi);
  await admin.createVhost(vhost);
  const amqpUrl = `${config.amqpBase}/${encodeURIComponent(vhost)}`;
  const client = await MongoClient.connect(config.mongoUrl, options.mongoOptions);
  const log = pino({ level: "warn" });
  const connection = connectBroker({ url: amqpUrl, name: `bench ${name}`, log });
  let orchestrator;
  try {
    const db = client.db(dbName);
    orchestrator = await createOrchestrator({ db, connection, log, ...options.settings });
    await work({ client, db, orchestrator, amqpUrl });
  } finally {
    await orchestrator?.stop();
    await connection.close();
    await client.db(dbName).dropDatabase();
    await client.close();
    await admin.deleteVhost(vhost);
  }
}
