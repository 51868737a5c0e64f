import type { Db } from "mongodb";
import type { ReadinessCheck } from "../ports.js";
import { within } from "./timeout.js";

export interface ReadinessSources {
  connection: { isConnected(): boolean };
  db: Db;
  /** A ping slower than this counts as MongoDB not answering. */
  timeoutMs?: number;
}

/** Ready when the broker connection is up and MongoDB answers a ping in time. */
export function createReadinessCheck(sources: ReadinessSources): ReadinessCheck {
  return async () => {
    const ping = sources.db.command({ ping: 1 }).then(
      () => true,
      () => false,
    );
    const mongo = await within(ping, sources.timeoutMs ?? 1000);
    return { broker: sources.connection.isConnected(), mongo: mongo === true };
  };
}
