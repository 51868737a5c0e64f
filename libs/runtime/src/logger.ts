import { pino, type DestinationStream, type Logger } from "pino";
import type { LogLevel } from "./env.js";
import { maskCredentials } from "@textops/messaging";

/** Where configuration objects keep the connection URLs: never logged. */
const CONNECTION_URL_PATHS = ["amqpUrl", "mongoUrl", "*.amqpUrl", "*.mongoUrl"];

export interface LoggerOptions {
  /** The service's name, on every line. */
  name: string;
  level: LogLevel;
  /** More fields on every line (the replica's id, say). */
  bindings?: Record<string, string> | undefined;
  /** Paths to redact besides the connection URLs (`req.headers.authorization`, say). */
  redact?: string[] | undefined;
  /** Where the lines go: standard output unless given. */
  destination?: DestinationStream;
}

/**
 * The process's root logger. Besides the redacted paths, every URL in every
 * line (a message, an error's message or stack) has its credentials masked.
 */
export function createLogger(options: LoggerOptions): Logger {
  const settings = {
    name: options.name,
    level: options.level,
    redact: [...CONNECTION_URL_PATHS, ...(options.redact ?? [])],
    hooks: { streamWrite: maskCredentials },
  };
  const log = options.destination ? pino(settings, options.destination) : pino(settings);
  return options.bindings ? log.child(options.bindings) : log;
}
