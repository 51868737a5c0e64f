/**
 * Aborted by the process's first SIGTERM or SIGINT, with an Error naming the
 * signal as its reason; a second signal gets Node's default (exit at once).
 */
export function shutdownSignal(): AbortSignal {
  const controller = new AbortController();
  const stop = (signal: NodeJS.Signals) => controller.abort(new Error(`${signal} received`));
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
  return controller.signal;
}

/** Resolves once the signal is aborted (at once if it already is). */
export function whenAborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener("abort", () => resolve(), { once: true });
  });
}

/** The promise's outcome, or the signal's reason as a rejection if the signal comes first. */
export function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  const aborted = whenAborted(signal).then((): never => {
    throw signal.reason;
  });
  return Promise.race([promise, aborted]);
}
