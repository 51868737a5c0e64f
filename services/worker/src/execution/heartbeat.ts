import type { Logger } from "pino";

export interface Heartbeat {
  /** Stops beating and waits for a beat under way, so none follows. */
  stop(): Promise<void>;
}

/**
 * Calls `beat` every `intervalMs` until stopped; beats never overlap. A beat
 * that fails is logged and the next one is tried: a missed heartbeat only
 * makes the orchestrator's view of the run older, the job goes on.
 */
export function startHeartbeat(options: {
  intervalMs: number;
  beat: () => Promise<void>;
  log: Logger;
}): Heartbeat {
  let stopped = false;
  let pending: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;

  const schedule = () => {
    timer = setTimeout(tick, options.intervalMs);
  };
  const tick = () => {
    pending = options
      .beat()
      .catch((error: unknown) => options.log.warn({ err: error }, "could not send a heartbeat"))
      .finally(() => {
        if (!stopped) schedule();
      });
  };

  schedule();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await pending;
    },
  };
}
