import type { Logger } from "pino";
import type { AmqpConnectionManager } from "./connection.js";

export interface WaitForBrokerOptions {
  /** What is waited for and where, for the logs: `RabbitMQ at amqp://…` (no password). */
  what: string;
  log: Logger;
  /** Ends the waiting: the promise then rejects with the signal's reason. */
  signal?: AbortSignal;
}

/**
 * Resolves once the connection to RabbitMQ is up. connectBroker keeps
 * retrying with backoff and logs each failure; this says once what it waits for.
 */
export async function waitForBroker(
  connection: AmqpConnectionManager,
  options: WaitForBrokerOptions,
): Promise<void> {
  const { signal } = options;
  signal?.throwIfAborted();
  if (connection.isConnected()) return;
  options.log.info(`waiting for ${options.what}`);
  await new Promise<void>((resolve, reject) => {
    const onAbort = () => {
      connection.off("connect", onConnect);
      reject(signal?.reason as Error);
    };
    const onConnect = () => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    };
    connection.once("connect", onConnect);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
