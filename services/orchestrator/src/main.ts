import { connectBroker, redactUrl } from "@textops/messaging";
import { MongoClient } from "mongodb";
import { pino } from "pino";
import { createOrchestrator } from "./app/orchestrator.js";
import { loadConfig } from "./config.js";

async function run() {
  const config = loadConfig(process.env);
  const log = pino({
    level: config.LOG_LEVEL,
    base: { service: "orchestrator", id: config.ORCHESTRATOR_ID },
  });
  log.info({ mongo: redactUrl(config.MONGO_URL), db: config.MONGO_DB }, "connecting to MongoDB");
  const mongo = await MongoClient.connect(config.MONGO_URL, { serverSelectionTimeoutMS: 60_000 });
  const connection = connectBroker({
    url: config.AMQP_URL,
    name: `orchestrator ${config.ORCHESTRATOR_ID}`,
    log,
  });
  const orchestrator = await createOrchestrator({
    db: mongo.db(config.MONGO_DB),
    connection,
    log,
    prefetch: config.PREFETCH,
    approvalTtlSeconds: config.APPROVAL_TTL_SECONDS,
    sweepIntervalMs: config.SWEEP_INTERVAL_SECONDS * 1000,
    outboxAgeMs: config.OUTBOX_REPUBLISH_AGE_SECONDS * 1000,
  });
  await orchestrator.start();
  log.info("orchestrator started; consuming orchestrator.input (active or standby)");

  await new Promise<void>((resolve) => {
    process.once("SIGTERM", resolve);
    process.once("SIGINT", resolve);
  });
  log.info("shutting down");
  try {
    await orchestrator.stop();
  } finally {
    await connection.close();
    await mongo.close();
  }
  log.info("stopped");
}

run().catch((error: unknown) => {
  console.error(`orchestrator: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
