import {
  MongoBulkWriteError,
  MongoClient,
  MongoNetworkError,
  MongoNotConnectedError,
  MongoParseError,
  MongoServerSelectionError,
  MongoTopologyClosedError,
} from "mongodb";
import type { Logger } from "pino";
import { maskUrl } from "@textops/messaging";
import { watchMonitor } from "./mongo-monitor-watchdog.js";
import { retryWithBackoff } from "./retry.js";

export interface ConnectMongoOptions {
  /**
   * The longest the client waits for the database's answer on a connection
   * (the driver's `socketTimeoutMS`; without it, none): a database host that
   * froze without closing its connections would otherwise hold every
   * operation, and everything queued behind them, for ever.
   */
  answerTimeoutMs?: number;
}

export const DEFAULT_ANSWER_TIMEOUT_MS = 20_000;

/** Connects a fresh client, pings and closes it: does the database answer right now? */
export async function pingMongo(url: string, timeoutMs = 2_000): Promise<void> {
  const probe = await MongoClient.connect(url, {
    serverSelectionTimeoutMS: timeoutMs,
    socketTimeoutMS: timeoutMs,
  });
  try {
    await probe.db("admin").command({ ping: 1 });
  } finally {
    await probe.close();
  }
}

/**
 * Waits, with backoff, until MongoDB answers (a short-lived probe per try),
 * then connects for good, with a watchdog for a stuck server monitor. A
 * malformed URL stops at once instead of retrying.
 */
export async function connectMongo(
  url: string,
  log: Logger,
  signal: AbortSignal,
  options: ConnectMongoOptions = {},
): Promise<MongoClient> {
  const what = `MongoDB at ${maskUrl(url)}`;
  log.info(`connecting to ${what}`);
  await retryWithBackoff(() => pingMongo(url), {
    what,
    log,
    signal,
    isPermanent: (error) => error instanceof MongoParseError,
  });
  const client = await MongoClient.connect(url, {
    serverSelectionTimeoutMS: 60_000,
    socketTimeoutMS: options.answerTimeoutMs ?? DEFAULT_ANSWER_TIMEOUT_MS,
  });
  watchMonitor(client, log, { probe: () => pingMongo(url) });
  return client;
}

/** True for errors that say MongoDB cannot be reached right now (rather than that a request was wrong). */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (
    error instanceof MongoNetworkError ||
    error instanceof MongoServerSelectionError ||
    error instanceof MongoNotConnectedError ||
    error instanceof MongoTopologyClosedError
  ) {
    return true;
  }
  // A bulk write whose connection dropped fails as a whole, without per-document errors.
  if (error instanceof MongoBulkWriteError) {
    const raw = error.writeErrors as unknown;
    if (Array.isArray(raw) ? raw.length === 0 : raw === undefined) return true;
  }
  return error instanceof Error && error.cause !== undefined && isDatabaseUnavailable(error.cause);
}
