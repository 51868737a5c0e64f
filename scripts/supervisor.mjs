// How `npm start` supervises its services, as compose's `restart: unless-stopped`
// does: a service that dies is started again after a delay that doubles with
// each quick death, up to a cap, and falls back to the first delay once the
// service had stayed up a while. Pure functions, so they are unit-tested.

export const RESTART_POLICY = Object.freeze({
  /** The delay before the first restart, and after a death that followed a healthy run. */
  initialDelayMs: 500,
  /** However fast a service keeps dying, it is not started more often than this. */
  maxDelayMs: 30_000,
  /** A service up this long was healthy: its next death starts the backoff over. */
  healthyAfterMs: 10_000,
});

/**
 * What to do after a service died, having run for `ranForMs`; `streak` is how
 * many quick deaths came right before. Returns the new streak (this death
 * included) and the delay before the service is started again.
 */
export function nextRestart(streak, ranForMs, policy = RESTART_POLICY) {
  const quickDeaths = ranForMs >= policy.healthyAfterMs ? 1 : streak + 1;
  const delayMs = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** (quickDeaths - 1));
  return { streak: quickDeaths, delayMs };
}

/** How a process ended, for a person: "killed by SIGKILL", "exited with code 1". */
export function describeExit(code, signal) {
  if (signal) return `killed by ${signal}`;
  if (code === null || code === undefined) return "ended";
  return `exited with code ${code}`;
}

/** A duration for a person: "350 ms", "1.5 s", "2 min 5 s". */
export function formatDuration(ms) {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${Number((ms / 1000).toFixed(1))} s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes} min ${Math.round((ms - minutes * 60_000) / 1000)} s`;
}
