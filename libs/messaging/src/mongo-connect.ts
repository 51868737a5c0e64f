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
import { redactUrl } from "./connection.js";
import { watchMonitor } from "./mongo-monitor-watchdog.js";
import { retryWithBackoff } from "./wait-for.js";

/**
 * Waits, with backoff, until MongoDB answers (a short-lived probe per try),
 * then connects for good, with a watchdog for a stuck server monitor. A
 * malformed URL stops at once instead of retrying.
 */
export async function connectMongo(
  url: string,
  log: Logger,
  signal: AbortSignal,
): Promise<MongoClient> {
  const what = `MongoDB at ${redactUrl(url)}`;
  log.info(`connecting to ${what}`);
  await retryWithBackoff(
    async () => {
      const probe = await MongoClient.connect(url, { serverSelectionTimeoutMS: 2000 });
      await probe.close();
    },
    { what, log, signal, isPermanent: (error) => error instanceof MongoParseError },
  );
  const client = await MongoClient.connect(url, { serverSelectionTimeoutMS: 60_000 });
  watchMonitor(client, log);
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
