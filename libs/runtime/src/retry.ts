import { setTimeout as sleep } from "node:timers/promises";
import { errorMessage } from "@textops/messaging";
import type { Logger } from "pino";

export interface RetryOptions {
  /** What is waited for and where, for the logs: `MongoDB at mongodb://…` (no password). */
  what: string;
  log: Logger;
  /** Ends the waiting: the promise then rejects with the signal's reason. */
  signal?: AbortSignal;
  /** First wait after a failure; doubles after each one up to maxDelayMs. */
  minDelayMs?: number;
  maxDelayMs?: number;
  /** An error waiting cannot mend (a malformed URL): thrown at once instead of retried. */
  isPermanent?: (error: unknown) => boolean;
}

/**
 * Calls `attempt` until it succeeds, waiting with exponential backoff between
 * failures and logging each one with what is waited for, so a service started
 * before its database waits for it instead of crashing.
 */
export async function retryWithBackoff<T>(
  attempt: () => Promise<T>,
  options: RetryOptions,
): Promise<T> {
  const { what, log, signal } = options;
  const max = options.maxDelayMs ?? 10_000;
  let delay = options.minDelayMs ?? 500;
  for (let failures = 0; ; failures += 1) {
    signal?.throwIfAborted();
    try {
      const value = await attempt();
      if (failures > 0) log.info({ failures }, `${what} is available`);
      return value;
    } catch (error) {
      signal?.throwIfAborted();
      if (options.isPermanent?.(error)) throw error;
      log.warn(
        { err: errorMessage(error), retryInSeconds: delay / 1000 },
        `waiting for ${what}; retrying`,
      );
      // Aborted: the next turn throws the signal's reason.
      await sleep(delay, undefined, signal ? { signal } : {}).catch(() => undefined);
      delay = Math.min(max, delay * 2);
    }
  }
}
