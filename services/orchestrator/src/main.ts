import { connectBroker, errorMessage, redactUrl, waitForBroker } from "@textops/messaging";
import { connectMongo, shutdownSignal, whenAborted } from "@textops/runtime";
import type { MongoClient } from "mongodb";
import { pino, type Logger } from "pino";
import { createOrchestrator } from "./app/orchestrator.js";
import { loadConfig, type Config } from "./config.js";

async function run(config: Config, log: Logger): Promise<void> {
  const stopping = shutdownSignal();
  const connection = connectBroker({
    url: config.AMQP_URL,
    name: `orchestrator ${config.ORCHESTRATOR_ID}`,
    log,
  });
  let mongo: MongoClient | undefined;
  try {
    const broker = { what: `RabbitMQ at ${redactUrl(config.AMQP_URL)}`, log, signal: stopping };
    const [client] = await Promise.all([
      connectMongo(config.MONGO_URL, log, stopping).then((connected) => (mongo = connected)),
      waitForBroker(connection, broker),
    ]);
    const orchestrator = await createOrchestrator({
      db: client.db(config.MONGO_DB),
      connection,
      log,
      prefetch: config.PREFETCH,
      approvalTtlSeconds: config.APPROVAL_TTL_SECONDS,
      sweepIntervalMs: config.SWEEP_INTERVAL_SECONDS * 1000,
      outboxAgeMs: config.OUTBOX_REPUBLISH_AGE_SECONDS * 1000,
    });
    await orchestrator.start();
    log.info("orchestrator started; consuming orchestrator.input (active or standby)");
    await whenAborted(stopping);
    log.info({ reason: errorMessage(stopping.reason) }, "shutting down");
    await orchestrator.stop();
    log.info("stopped");
  } catch (error) {
    if (error !== stopping.reason) throw error;
    log.info({ reason: errorMessage(error) }, "stopped before start-up finished");
  } finally {
    await connection.close();
    await mongo?.close();
  }
}

function main(): void {
  let config: Config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    console.error(`orchestrator: ${errorMessage(error)}`);
    process.exit(1);
  }
  const log = pino({
    level: config.LOG_LEVEL,
    base: { service: "orchestrator", id: config.ORCHESTRATOR_ID },
  });
  run(config, log).then(
    () => process.exit(0),
    (error: unknown) => {
      log.fatal({ err: error }, "orchestrator failed");
      process.exit(1);
    },
  );
}

main();
