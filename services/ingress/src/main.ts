import type { Server } from "node:http";
import { connectBroker, errorMessage, redactUrl, waitForBroker } from "@textops/messaging";
import { connectMongo, shutdownSignal, whenAborted } from "@textops/runtime";
import type { Express } from "express";
import type { MongoClient } from "mongodb";
import { pino, type Logger } from "pino";
import { ConfigError, loadConfig, type IngressConfig } from "./config.js";
import { startIngress } from "./ingress.js";

function listen(app: Express, port: number, host: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host, (error) => (error ? reject(error) : resolve(server)));
  });
}

/** Stops accepting connections and resolves once the requests in flight are answered. */
function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
  });
}

/** The address and port the server is bound to, as the operating system reports them. */
function boundAddress(server: Server): string {
  const address = server.address();
  if (typeof address !== "object" || !address) return String(address);
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return `${host}:${address.port}`;
}

async function run(config: IngressConfig, log: Logger): Promise<void> {
  const stopping = shutdownSignal();
  const connection = connectBroker({ url: config.amqpUrl, name: "ingress", log });
  let mongo: MongoClient | undefined;
  try {
    const broker = { what: `RabbitMQ at ${redactUrl(config.amqpUrl)}`, log, signal: stopping };
    const [client] = await Promise.all([
      connectMongo(config.mongoUrl, log, stopping).then((connected) => (mongo = connected)),
      waitForBroker(connection, broker),
    ]);
    const ingress = await startIngress({
      db: client.db(config.mongoDb),
      connection,
      log,
      replyTimeoutMs: config.replyTimeoutMs,
      publishTimeoutMs: config.publishTimeoutMs,
    });
    try {
      const server = await listen(ingress.app, config.port, config.host);
      log.info(`ingress listening on ${boundAddress(server)}`);
      await whenAborted(stopping);
      log.info({ reason: errorMessage(stopping.reason) }, "shutting down");
      await closeServer(server);
    } finally {
      await ingress.stop();
    }
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
  let config: IngressConfig;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(`ingress: ${error.message}`);
    process.exit(1);
  }
  const log = pino({
    name: "ingress",
    level: config.logLevel,
    redact: ["amqpUrl", "mongoUrl", "*.amqpUrl", "*.mongoUrl", "req.headers.authorization"],
  });
  run(config, log).then(
    () => process.exit(0),
    (error: unknown) => {
      log.fatal({ err: error }, "ingress failed");
      process.exit(1);
    },
  );
}

main();
