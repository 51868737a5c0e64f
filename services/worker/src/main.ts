import { connectBroker, createPublisher, redactUrl } from "@textops/messaging";
import { pino, type Logger } from "pino";
import { ConfigError, loadConfig, type WorkerConfig } from "./config.js";
import { startWorker, type Worker } from "./execution/worker.js";
import { builtInExecutors } from "./executors/registry.js";

/** Resolves with the first SIGTERM or SIGINT; a second one gets Node's default (exit at once). */
function shutdownSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    process.once("SIGTERM", resolve);
    process.once("SIGINT", resolve);
  });
}

async function run(config: WorkerConfig, log: Logger): Promise<void> {
  const signal = shutdownSignal();
  log.info({ broker: redactUrl(config.amqpUrl) }, "starting worker");
  const connection = connectBroker({ url: config.amqpUrl, name: `worker ${config.workerId}`, log });
  const publisher = createPublisher(connection, { name: "worker-publisher", log });
  const start = async (): Promise<Worker> => {
    await publisher.channel.waitForConnect();
    return startWorker({
      connection,
      publisher,
      executors: builtInExecutors({ demoDelayMs: config.demoDelayMs }),
      workerId: config.workerId,
      concurrency: config.concurrency,
      heartbeatSeconds: config.heartbeatSeconds,
      log,
    });
  };
  try {
    // A signal while RabbitMQ is still unreachable ends the wait.
    const worker = await Promise.race([start(), signal.then(() => null)]);
    log.info({ signal: await signal }, "shutting down");
    await worker?.stop(config.shutdownGraceSeconds);
  } finally {
    await publisher.close();
    await connection.close();
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
    redact: ["amqpUrl", "*.amqpUrl", "url", "*.url"],
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
