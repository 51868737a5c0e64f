// Open-loop HTTP load at a fixed rate, made with autocannon.
//
// autocannon limits a connection's rate per second: at the start of each second
// every connection sends its quota at once, so all of a run's connections fire
// together. One autocannon instance at R requests/s therefore offers R requests in
// one burst per second, not one request every 1/R s. Here `phases` instances are
// started evenly spread over one second, each with connections that send one
// request per second, so arrivals are spread evenly (bursts of R/phases at most).
// A connection waits for its answer before its next request, so an answer slower
// than 1 s delays the next request (coordinated omission); the achieved rate shows it.
// After the last window the load goes on until the requests sent in it are answered
// (at most `drainSeconds`), so slow answers are counted rather than cut off.
import autocannon from "autocannon";
import { setTimeout as sleep } from "node:timers/promises";

/**
 * Offers `rate` requests/s for warm-up + `windows` × `windowSeconds`, and returns
 * the samples of each measuring window, and how many requests were answered in all.
 * `body(phase)` is the request body of each phase's connections.
 * @param {{ url: string, body: (phase: number) => string, rate: number, warmupSeconds: number,
 *   windowSeconds: number, windows: number, phases?: number, onTick?: (s: string) => void }} o
 */
export async function offerLoad(o) {
  const phases = Math.min(o.rate, o.phases ?? 100);
  const drainSeconds = o.drainSeconds ?? 7;
  const total = o.warmupSeconds + o.windows * o.windowSeconds + 1;
  const started = Date.now();
  const measureFrom = started + o.warmupSeconds * 1000 + 1000; // after the last phase began
  const windowMs = o.windowSeconds * 1000;
  const measureTo = measureFrom + o.windows * windowMs;
  let answeredAfterWindow = null;
  /** @type {{ latencies: number[], statuses: Record<string, number>, errors: number, sent: number }[]} */
  const windows = Array.from({ length: o.windows }, () => ({
    latencies: [],
    statuses: {},
    errors: 0,
    sent: 0,
  }));
  const windowOf = (at) => {
    const i = Math.floor((at - measureFrom) / windowMs);
    return i >= 0 && i < o.windows ? windows[i] : null;
  };
  let answered = 0;
  const instances = [];
  /** @type {any[]} */
  const running = [];
  for (let i = 0; i < phases; i += 1) {
    const connections = Math.floor(o.rate / phases) + (i < o.rate % phases ? 1 : 0);
    const offset = (i * 1000) / phases;
    instances.push(
      sleep(offset).then(
        () =>
          new Promise((resolve, reject) => {
            const instance = autocannon(
              {
                url: o.url,
                method: "POST",
                headers: { "content-type": "application/json" },
                body: o.body(i),
                connections,
                overallRate: connections,
                duration: total + drainSeconds,
                timeout: 10,
              },
              (error, result) => (error ? reject(error) : resolve(result)),
            );
            running.push(instance);
            instance.on("response", (_client, statusCode, _bytes, responseTime) => {
              answered += 1;
              const sentAt = Date.now() - responseTime;
              if (sentAt >= measureTo) answeredAfterWindow ??= Date.now();
              const w = windowOf(sentAt);
              if (!w) return;
              w.sent += 1;
              w.statuses[statusCode] = (w.statuses[statusCode] ?? 0) + 1;
              w.latencies.push(responseTime);
            });
            instance.on("reqError", () => {
              const w = windowOf(Date.now());
              if (w) {
                w.errors += 1;
                w.sent += 1;
              }
            });
          }),
      ),
    );
  }
  const ticker = setInterval(() => {
    const s = (Date.now() - started) / 1000;
    o.onTick?.(
      `${o.rate} req/s offered: ${Math.min(total, s).toFixed(0)}/${total} s, ${answered} answered`,
    );
    // Requests are answered in about the order they were sent: once one sent after
    // the last window is answered (and a moment more), the window's are in.
    const drained = answeredAfterWindow !== null && Date.now() - answeredAfterWindow > 500;
    if (
      Date.now() > measureTo + 1000 &&
      (drained || Date.now() > measureTo + drainSeconds * 1000)
    ) {
      for (const instance of running) instance.stop();
    }
  }, 250);
  try {
    await Promise.all(instances);
  } finally {
    clearInterval(ticker);
  }
  return { windows: windows.map((w) => ({ ...w, seconds: o.windowSeconds })), answered };
}
