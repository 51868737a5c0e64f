import type { Run } from "./stored-run.js";

/** What of a run decides when the sweeper must look at it. */
export type LookState = Pick<
  Run,
  "status" | "approvalExpiresAt" | "lastHeartbeatAt" | "timeoutSeconds"
>;

/**
 * When the sweeper must next look at a run (epoch milliseconds), or null when
 * nothing about it is left to sweep. Mirrors `expire` and `timeout` in
 * decide.ts: an approval expires once its time has come, a running job times
 * out once its last heartbeat is more than its timeout old. Outbox entries
 * pending since `pendingSince` are looked at once they are `outboxAgeMs` old.
 */
export function nextLookAt(
  run: LookState,
  pendingSince: number | null,
  outboxAgeMs: number,
): number | null {
  const times: number[] = [];
  if (pendingSince !== null) times.push(pendingSince + outboxAgeMs);
  if (run.status === "AwaitingApproval") times.push(Date.parse(run.approvalExpiresAt));
  if (run.status === "Running" && run.lastHeartbeatAt !== null) {
    times.push(Date.parse(run.lastHeartbeatAt) + run.timeoutSeconds * 1000 + 1);
  }
  return times.length === 0 ? null : Math.min(...times);
}
