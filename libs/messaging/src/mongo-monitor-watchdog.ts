import type { MongoClient } from "mongodb";
import type { Logger } from "pino";
import { errorMessage } from "./errors.js";

export interface MonitorWatchdogOptions {
  /** A heartbeat running longer than this is stuck (default: the longest a driver heartbeat may take, plus 5 s). */
  stuckAfterMs?: number;
  /** How often heartbeats are looked at. */
  checkEveryMs?: number;
}

/**
 * The MongoDB driver (7.9) can leave its server monitor waiting for ever: a
 * heartbeat that writes on a connection the server has just closed, before
 * the socket's `close` event, waits for a `drain` that never comes. The
 * server then stays Unknown and every operation of the process fails server
 * selection, however long the database has been back (chaos found this
 * after a database crash). A heartbeat ends within connectTimeoutMS (plus
 * heartbeatFrequencyMS when awaited); one that has not is stuck, and the
 * client is closed and connected again: its Db and Collection objects stay
 * valid. Watching ends when the client's owner closes it, or when the
 * returned function is called.
 */
export function watchMonitor(
  client: MongoClient,
  log: Logger,
  options: MonitorWatchdogOptions = {},
): () => void {
  const { connectTimeoutMS, heartbeatFrequencyMS } = client.options;
  const stuckAfterMs = options.stuckAfterMs ?? connectTimeoutMS + heartbeatFrequencyMS + 5_000;
  const running = new Map<string, number>();
  const ended = (event: { connectionId: string }) => running.delete(event.connectionId);
  client.on("serverHeartbeatStarted", (event) => running.set(event.connectionId, Date.now()));
  client.on("serverHeartbeatSucceeded", ended);
  client.on("serverHeartbeatFailed", ended);
  let reviving = false;
  const timer = setInterval(() => {
    const now = Date.now();
    const stuck = [...running].find(([, since]) => now - since > stuckAfterMs);
    if (!stuck || reviving) return;
    reviving = true;
    running.clear();
    log.warn(
      { server: stuck[0], heartbeatMs: now - stuck[1] },
      "MongoDB heartbeat stuck; connecting the client again",
    );
    client
      .close()
      .then(() => client.connect())
      .then(
        () => log.info("MongoDB client connected again"),
        (error: unknown) =>
          log.warn({ err: errorMessage(error) }, "MongoDB client not connected again yet"),
      )
      .finally(() => (reviving = false));
  }, options.checkEveryMs ?? 1_000);
  timer.unref();
  const stop = () => clearInterval(timer);
  // Closed by its owner (not by the watchdog): nothing left to watch.
  client.on("topologyClosed", () => {
    if (!reviving) stop();
  });
  return stop;
}
