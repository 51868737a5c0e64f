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
import { errorMessage } from "@textops/messaging";

export interface LoadOptions {
  url: string;
  /** The request body of each phase's connections. */
  body: (phase: number) => string;
  rate: number;
  warmupSeconds: number;
  windowSeconds: number;
  windows: number;
  phases?: number;
  drainSeconds?: number;
  onTick?: (s: string) => void;
}

/** What was sent in one measuring window (by the time each request was sent). */
export interface LoadWindow {
  latencies: number[];
  statuses: Record<string, number>;
  errors: number;
  sent: number;
  seconds: number;
}

/** Starts one autocannon instance of `connections` connections, one request per second each. */
function startInstance(o: LoadOptions, phase: number, connections: number, seconds: number) {
  let instance: autocannon.Instance | undefined;
  const finished = new Promise<void>((resolve, reject) => {
    instance = autocannon(
      {
        url: o.url,
        method: "POST",
        headers: { "content-type": "application/json" },
        body: o.body(phase),
        connections,
        overallRate: connections,
        duration: seconds,
        timeout: 10,
      },
      (error: unknown) =>
        error ? reject(error instanceof Error ? error : new Error(errorMessage(error))) : resolve(),
    );
  });
  if (!instance) throw new Error("autocannon made no instance");
  return { instance, finished };
}

/**
 * Offers `rate` requests/s for warm-up + `windows` × `windowSeconds`, and returns
 * the samples of each measuring window, and how many requests were answered in all.
 */
export async function offerLoad(
  o: LoadOptions,
): Promise<{ windows: LoadWindow[]; answered: number }> {
  const phases = Math.min(o.rate, o.phases ?? 100);
  const drainSeconds = o.drainSeconds ?? 7;
  const total = o.warmupSeconds + o.windows * o.windowSeconds + 1;
  const started = Date.now();
  const measureFrom = started + o.warmupSeconds * 1000 + 1000; // after the last phase began
  const windowMs = o.windowSeconds * 1000;
  const measureTo = measureFrom + o.windows * windowMs;
  let answeredAfterWindow: number | null = null;
  const windows: LoadWindow[] = Array.from({ length: o.windows }, () => ({
    latencies: [],
    statuses: {},
    errors: 0,
    sent: 0,
    seconds: o.windowSeconds,
  }));
  const windowOf = (at: number) => {
    const i = Math.floor((at - measureFrom) / windowMs);
    return i >= 0 && i < o.windows ? windows[i] : undefined;
  };
  let answered = 0;
  const instances: Promise<void>[] = [];
  const running: autocannon.Instance[] = [];
  for (let i = 0; i < phases; i += 1) {
    const connections = Math.floor(o.rate / phases) + (i < o.rate % phases ? 1 : 0);
    const offset = (i * 1000) / phases;
    instances.push(
      sleep(offset).then(() => {
        const { instance, finished } = startInstance(o, i, connections, total + drainSeconds);
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
        return finished;
      }),
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
  return { windows, answered };
}
