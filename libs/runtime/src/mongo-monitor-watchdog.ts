import type { MongoClient } from "mongodb";
import type { Logger } from "pino";
import { errorMessage } from "@textops/messaging";

export interface MonitorWatchdogOptions {
  /** A heartbeat running longer than this is stuck (default: the longest a driver heartbeat may take, plus 5 s). */
  stuckAfterMs?: number;
  /**
   * Asks a fresh connection whether the database answers. When this client
   * has seen no usable server for `unknownForMs` but the probe succeeds, its
   * monitor is stuck and the client is connected again.
   */
  probe?: () => Promise<void>;
  unknownForMs?: number;
  /** How often heartbeats and server states are looked at. */
  checkEveryMs?: number;
}

/**
 * The MongoDB driver (7.9) can leave its server monitor waiting for ever: a
 * heartbeat that writes on a connection the server has just closed, before
 * the socket's `close` event, waits for a `drain` that never comes. The
 * server then stays Unknown and every operation of the process fails server
 * selection, however long the database has been back (chaos found this
 * after a database crash). Two signs give it away: a heartbeat older than
 * any heartbeat can be, or a server this client has thought Unknown for
 * seconds while a fresh connection gets an answer. Then the client is
 * closed and connected again: its Db and Collection objects stay valid.
 * Watching ends when the client's owner closes it, or when the returned
 * function is called.
 */
export function watchMonitor(
  client: MongoClient,
  log: Logger,
  options: MonitorWatchdogOptions = {},
): () => void {
  const { connectTimeoutMS, heartbeatFrequencyMS } = client.options;
  const stuckAfterMs = options.stuckAfterMs ?? connectTimeoutMS + heartbeatFrequencyMS + 5_000;
  const unknownForMs = options.unknownForMs ?? 3_000;
  const heartbeats = new Map<string, number>();
  const unknownSince = new Map<string, number>();
  // When a fresh connection first got an answer while this client still saw the server Unknown.
  const answeredAt = new Map<string, number>();
  const ended = (event: { connectionId: string }) => heartbeats.delete(event.connectionId);
  client.on("serverHeartbeatStarted", (event) => heartbeats.set(event.connectionId, Date.now()));
  client.on("serverHeartbeatSucceeded", ended);
  client.on("serverHeartbeatFailed", ended);
  client.on("serverDescriptionChanged", (event) => {
    if (event.newDescription.type !== "Unknown") {
      unknownSince.delete(event.address);
      answeredAt.delete(event.address);
    } else if (!unknownSince.has(event.address)) unknownSince.set(event.address, Date.now());
  });

  let reviving = false;
  const revive = (why: Record<string, unknown>) => {
    reviving = true;
    heartbeats.clear();
    unknownSince.clear();
    answeredAt.clear();
    log.warn(why, "MongoDB monitor stuck; connecting the client again");
    client
      .close()
      .then(() => client.connect())
      .then(
        () => log.info("MongoDB client connected again"),
        (error: unknown) =>
          log.warn({ err: errorMessage(error) }, "MongoDB client not connected again yet"),
      )
      .finally(() => (reviving = false));
  };

  let probing = false;
  const probe = (server: string) => {
    if (!options.probe || probing) return;
    probing = true;
    options
      .probe()
      .then(
        () => {
          if (unknownSince.has(server)) answeredAt.set(server, Date.now());
        },
        () => undefined, // really down; the driver will see it come back
      )
      .finally(() => (probing = false));
  };

  const timer = setInterval(() => {
    if (reviving) return;
    const now = Date.now();
    const stuck = [...heartbeats].find(([, since]) => now - since > stuckAfterMs);
    if (stuck) {
      revive({ server: stuck[0], heartbeatMs: now - stuck[1] });
      return;
    }
    for (const [server, since] of unknownSince) {
      if (now - since <= unknownForMs) continue;
      const answered = answeredAt.get(server);
      // The driver's own monitor finds a server that is back within a second or so.
      if (answered !== undefined && now - answered > unknownForMs) {
        revive({ server, unknownMs: now - since, answeredMsAgo: now - answered });
        return;
      }
      if (answered === undefined) probe(server);
    }
  }, options.checkEveryMs ?? 1_000);
  timer.unref();
  const stop = () => clearInterval(timer);
  // Closed by its owner (not by the watchdog): nothing left to watch.
  client.on("topologyClosed", () => {
    if (!reviving) stop();
  });
  return stop;
}
