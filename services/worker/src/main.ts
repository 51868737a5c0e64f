import {
  connectBroker,
  createPublisher,
  errorMessage,
  redactUrl,
  waitForBroker,
} from "@textops/messaging";
import { connectMongo, shutdownSignal, whenAborted } from "@textops/runtime";
import type { MongoClient } from "mongodb";
import { pino, type Logger } from "pino";
import { createExecutionClaims } from "./adapters/mongo/execution-claims.js";
import { ConfigError, loadConfig, type WorkerConfig } from "./config.js";
import { startWorker } from "./execution/worker.js";
import { builtInExecutors } from "./executors/registry.js";

async function run(config: WorkerConfig, log: Logger): Promise<void> {
  const stopping = shutdownSignal();
  const connection = connectBroker({ url: config.amqpUrl, name: `worker ${config.workerId}`, log });
  const publisher = createPublisher(connection, { name: "worker-publisher", log });
  let mongo: MongoClient | undefined;
  try {
    const broker = { what: `RabbitMQ at ${redactUrl(config.amqpUrl)}`, log, signal: stopping };
    const [client] = await Promise.all([
      connectMongo(config.mongoUrl, log, stopping).then((connected) => (mongo = connected)),
      waitForBroker(connection, broker),
    ]);
    const starting = startWorker({
      connection,
      publisher,
      claims: createExecutionClaims(client.db(config.mongoDb)),
      executors: builtInExecutors({ demoDelayMs: config.demoDelayMs }),
      workerId: config.workerId,
      concurrency: config.concurrency,
      heartbeatSeconds: config.heartbeatSeconds,
      log,
    });
    // Its consumers wait for their channels; a signal meanwhile (the broker gone again) ends the wait.
    const worker = await Promise.race([starting, whenAborted(stopping).then(() => null)]);
    await whenAborted(stopping);
    log.info({ reason: errorMessage(stopping.reason) }, "shutting down");
    await worker?.stop(config.shutdownGraceSeconds);
  } catch (error) {
    if (error !== stopping.reason) throw error;
    log.info({ reason: errorMessage(error) }, "stopped before start-up finished");
  } finally {
    await publisher.close();
    await connection.close();
    await mongo?.close();
  }
}

function main(): void {
  let config: WorkerConfig;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(`worker: ${error.message}`);
    process.exit(1);
  }
  const log = pino({
    name: "worker",
    level: config.logLevel,
    base: { workerId: config.workerId },
    redact: ["amqpUrl", "*.amqpUrl", "mongoUrl", "*.mongoUrl", "url", "*.url"],
  });
  run(config, log).then(
    () => process.exit(0),
    (error: unknown) => {
      log.fatal({ err: error }, "worker failed");
      process.exit(1);
    },
  );
}

main();
