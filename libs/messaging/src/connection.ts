import amqp, { type AmqpConnectionManager } from "amqp-connection-manager";
import type { Logger } from "pino";
import { maskUrl } from "./secrets.js";

export interface BrokerConnectionOptions {
  url: string;
  /** Shown in the RabbitMQ management UI, so one can tell the services apart. */
  name: string;
  log: Logger;
  heartbeatSeconds?: number;
  /** First wait before reconnecting; doubles after each failure up to maxReconnectSeconds. */
  minReconnectSeconds?: number;
  maxReconnectSeconds?: number;
}

/**
 * Connects to RabbitMQ and keeps reconnecting, with exponential backoff, for
 * as long as the returned manager is open. amqp-connection-manager re-runs
 * every channel's setup (topology, consumers) after each reconnect.
 */
export function connectBroker(options: BrokerConnectionOptions): AmqpConnectionManager {
  const min = options.minReconnectSeconds ?? 0.5;
  // A refused connection costs the broker nothing, and a longer wait only adds
  // to the time the service stays down after the broker is back.
  const max = options.maxReconnectSeconds ?? 2;
  const log = options.log;
  const connection = amqp.connect([options.url], {
    heartbeatIntervalInSeconds: options.heartbeatSeconds ?? 5,
    reconnectTimeInSeconds: min,
    // Without noDelay (amqplib's default is off), Nagle's algorithm holds a small
    // frame back until the previous one is acknowledged: tens of ms per request.
    connectionOptions: { noDelay: true, clientProperties: { connection_name: options.name } },
  });

  connection.on("connect", ({ url }) => {
    connection.reconnectTimeInSeconds = min;
    log.info(
      { broker: typeof url === "string" ? maskUrl(url) : (url?.hostname ?? "unknown") },
      "connected to RabbitMQ",
    );
  });
  connection.on("connectFailed", ({ err }) => {
    log.warn(
      { err: err.message, retryInSeconds: connection.reconnectTimeInSeconds },
      "cannot reach RabbitMQ; retrying",
    );
    connection.reconnectTimeInSeconds = Math.min(max, connection.reconnectTimeInSeconds * 2);
  });
  connection.on("disconnect", ({ err }) => {
    log.warn({ err: err.message }, "lost the RabbitMQ connection; reconnecting");
  });
  connection.on("blocked", ({ reason }) => log.warn({ reason }, "RabbitMQ blocked the connection"));
  connection.on("unblocked", () => log.info("RabbitMQ unblocked the connection"));
  return connection;
}

export type { AmqpConnectionManager };
