import type { Run } from "./stored-run.js";

/** What of a run tells whether its current dispatch still waits for a worker. */
export type DispatchWaitState = Pick<Run, "status" | "attempt" | "waitingForSlot" | "events">;

/**
 * When the current attempt's dispatch reached its pool's queue (epoch
 * milliseconds: its dispatch time, plus the delay of a retry), if no worker
 * has started it and nobody was told yet that it waits; else null. The
 * DispatchUnclaimed event on the timeline is what says "told".
 */
export function unclaimedSince(run: DispatchWaitState): number | null {
  if (run.status !== "Dispatching" || run.waitingForSlot) return null;
  let dispatchedAt: number | null = null;
  let delayMs = 0;
  for (const event of run.events) {
    if (!("attempt" in event.payload) || event.payload.attempt !== run.attempt) continue;
    if (event.type === "DispatchUnclaimed") return null;
    if (event.type === "ExecutionDispatched") dispatchedAt = Date.parse(event.at);
    if (event.type === "RetryScheduled") delayMs = event.payload.delayMs;
  }
  return dispatchedAt === null ? null : dispatchedAt + delayMs;
}
