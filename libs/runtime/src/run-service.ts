import {
  connectBroker,
  errorMessage,
  waitForBroker,
  type AmqpConnectionManager,
} from "@textops/messaging";
import type { Db } from "mongodb";
import type { Logger } from "pino";
import { ConfigError, type Env, type ServiceConfig } from "./env.js";
import { createLogger } from "./logger.js";
import { connectMongo } from "./mongo-connect.js";
import { maskCredentials, maskUrl } from "@textops/messaging";
import { shutdownSignal, untilAborted, whenAborted } from "./shutdown.js";

/** What a service is handed to start with. */
export interface ServiceResources<C> {
  config: C;
  log: Logger;
  /** RabbitMQ, connected; it reconnects by itself and is closed after `stop`. */
  connection: AmqpConnectionManager;
  /** The service's database (`MONGO_DB`); its client is closed after `stop`. */
  db: Db;
  /** Aborted by SIGTERM or SIGINT. */
  signal: AbortSignal;
  /**
   * Has `close` called once the service has stopped, or has failed or ceased
   * to start, before the connections are closed; the last one given first.
   */
  onClose: (close: () => Promise<void>) => void;
}

export interface StartedService {
  /** Takes no new work and finishes (or hands back) what is in flight. */
  stop(): Promise<void>;
}

export interface ServiceDefinition<C extends ServiceConfig> {
  /** `ingress`, `orchestrator`, `worker`: the logger's name; a configuration error begins with it. */
  name: string;
  loadConfig(env: Env): C;
  /** Fields on every log line (the replica's id, say). */
  logBindings?(config: C): Record<string, string>;
  /** Log paths to redact besides the connection URLs. */
  redact?: string[];
  /** The connection's name in the RabbitMQ management UI; the service's name unless given. */
  connectionName?(config: C): string;
  start(resources: ServiceResources<C>): Promise<StartedService>;
}

/**
 * Connects to RabbitMQ and MongoDB (waiting for both, with backoff), starts
 * the service, and once `signal` is aborted stops it, then closes the
 * connections. An abort during start-up ends the waiting and resolves too.
 */
export async function serve<C extends ServiceConfig>(
  service: ServiceDefinition<C>,
  { config, log, signal }: { config: C; log: Logger; signal: AbortSignal },
): Promise<void> {
  const name = service.connectionName?.(config) ?? service.name;
  const connection = connectBroker({ url: config.amqpUrl, name, log });
  const closers = [() => connection.close()];
  const onClose = (close: () => Promise<void>) => void closers.push(close);
  try {
    const broker = { what: `RabbitMQ at ${maskUrl(config.amqpUrl)}`, log, signal };
    const [client] = await Promise.all([
      connectMongo(config.mongoUrl, log, signal).then((mongo) => {
        onClose(() => mongo.close());
        return mongo;
      }),
      waitForBroker(connection, broker),
    ]);
    const db = client.db(config.mongoDb);
    // Consumers wait for their channels; a signal meanwhile (the broker gone again) ends the wait.
    const starting = service.start({ config, log, connection, db, signal, onClose });
    const started = await untilAborted(starting, signal);
    await whenAborted(signal);
    log.info({ reason: errorMessage(signal.reason) }, "shutting down");
    await started.stop();
    log.info("stopped");
  } catch (error) {
    if (error !== signal.reason) throw error;
    log.info({ reason: errorMessage(error) }, "stopped before start-up finished");
  } finally {
    await closeInReverse(closers);
  }
}

/** Calls every closer, the last first, even when one fails (its error then is the outcome). */
async function closeInReverse(closers: (() => Promise<void>)[]): Promise<void> {
  const close = closers.pop();
  if (!close) return;
  try {
    await close();
  } finally {
    await closeInReverse(closers);
  }
}

/**
 * A service's whole process: reads its configuration (a bad value: one line
 * on standard error, exit code 1), makes the root logger, serves until
 * SIGTERM or SIGINT, and exits 0 once stopped, or 1 if anything failed.
 */
export function runService<C extends ServiceConfig>(service: ServiceDefinition<C>): void {
  let config: C;
  try {
    config = service.loadConfig(process.env);
  } catch (error) {
    const problem = error instanceof ConfigError ? error.message : String(stackOf(error));
    console.error(`${service.name}: ${maskCredentials(problem)}`);
    process.exit(1);
  }
  const log = createLogger({
    name: service.name,
    level: config.logLevel,
    bindings: service.logBindings?.(config),
    redact: service.redact,
  });
  serve(service, { config, log, signal: shutdownSignal() }).then(
    () => process.exit(0),
    (error: unknown) => {
      log.fatal({ err: error }, `${service.name} failed`);
      process.exit(1);
    },
  );
}

function stackOf(error: unknown): unknown {
  return error instanceof Error ? (error.stack ?? error.message) : error;
}
