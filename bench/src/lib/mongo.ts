// The bench's databases on the MongoDB-compatible server. The one module of the
// bench that connects to MongoDB: every client the bench and its processes make
// comes from here.
import { MongoClient } from "mongodb";
import { pino, type Logger } from "pino";
import { RUN_ID_ALPHABET } from "@textops/contracts";
import { connectMongo as connectWithLibs } from "@textops/runtime";

export interface BenchMongoOptions {
  /** Give up when the server does not answer within this long (default: 10 s). */
  reachWithinMs?: number;
  /**
   * The longest one command may wait for its answer. The bench's default, two
   * minutes, outlasts its longest command (storing 1,000 copies of a run), so a
   * server that stops answering fails the bench instead of hanging it.
   */
  answerTimeoutMs?: number;
  /** Messages of libs/messaging's connection helper (waits, a stuck monitor), on stderr. */
  log?: Logger;
}

/** The libs' connection (a probe first, a watchdog on the client's monitor), with a deadline. */
export async function connectMongo(
  url: string,
  options: BenchMongoOptions = {},
): Promise<MongoClient> {
  const log = options.log ?? pino({ level: "error" }, pino.destination(2));
  return connectWithLibs(url, log, AbortSignal.timeout(options.reachWithinMs ?? 10_000), {
    answerTimeoutMs: options.answerTimeoutMs ?? 120_000,
  });
}

/**
 * A client that reports every command it sends (commandStarted, commandSucceeded,
 * commandFailed), for trace-db: the libs' helper has no such option.
 */
export async function connectMonitoredMongo(url: string): Promise<MongoClient> {
  return MongoClient.connect(url, {
    monitorCommands: true,
    serverSelectionTimeoutMS: 10_000,
    socketTimeoutMS: 120_000,
  });
}

/** Drops every database whose name starts with `prefix`; returns their names. */
export async function dropDatabases(client: MongoClient, prefix: string): Promise<string[]> {
  const { databases } = await client.db("admin").admin().listDatabases({ nameOnly: true });
  const mine = databases.map((d) => d.name).filter((name) => name.startsWith(prefix));
  for (const name of mine) await client.db(name).dropDatabase();
  return mine;
}

/** The n-th run id: 6 characters of the run-id alphabet, distinct for n < 32^6. */
export function nthRunId(n: number): string {
  let id = "";
  let rest = n;
  for (let i = 0; i < 6; i += 1) {
    id = `${RUN_ID_ALPHABET[rest % RUN_ID_ALPHABET.length] ?? ""}${id}`;
    rest = Math.floor(rest / RUN_ID_ALPHABET.length);
  }
  return id;
}
