import { unclaimedSince, type DispatchWaitState } from "./dispatch-wait.js";
import { escalated } from "./run-approval.js";
import type { Run } from "./stored-run.js";

/** What of a run decides when the sweeper must look at it. */
export type LookState = Pick<
  Run,
  | "status"
  | "approvalExpiresAt"
  | "lastHeartbeatAt"
  | "timeoutSeconds"
  | "escalation"
  | "job"
  | "createdAt"
  | "channelId"
  | "conversationId"
> &
  DispatchWaitState;

/**
 * A run whose job approves by itself is approved right after it is stored;
 * if a crash came between, the sweeper approves it once it is this old.
 */
export function autoApprovalDue(run: LookState, times: LookTimes): number | null {
  if (run.status !== "AwaitingApproval" || run.job.approval?.autoApprove !== true) return null;
  return Date.parse(run.createdAt) + times.outboxAgeMs;
}

/** When a run awaiting approval escalates, if its policy escalates and it has not yet. */
export function escalationDue(run: LookState): number | null {
  if (run.status !== "AwaitingApproval" || run.escalation === undefined || escalated(run)) {
    return null;
  }
  return Date.parse(run.escalation.at);
}

/** How long the things the sweeper looks after may wait. */
export interface LookTimes {
  /** Outbox entries are looked at once they are this old. */
  outboxAgeMs: number;
  /** A dispatch no worker has taken this long is told about (DISPATCH_WAIT_NOTICE_SECONDS). */
  dispatchWaitMs: number;
}

/**
 * When the sweeper must next look at a run (epoch milliseconds), or null when
 * nothing about it is left to sweep. Mirrors `expire`, `timeout` and
 * `unclaimed` in decide.ts: an approval expires once its time has come, a
 * running job times out once its last heartbeat is more than its timeout old,
 * a dispatch nobody took is told about once it has waited `dispatchWaitMs`.
 * Outbox entries pending since `pendingSince` are looked at once they are
 * `outboxAgeMs` old.
 */
export function nextLookAt(
  run: LookState,
  pendingSince: number | null,
  times: LookTimes,
): number | null {
  const looks: number[] = [];
  if (pendingSince !== null) looks.push(pendingSince + times.outboxAgeMs);
  if (run.status === "AwaitingApproval") looks.push(Date.parse(run.approvalExpiresAt));
  const escalation = escalationDue(run);
  if (escalation !== null) looks.push(escalation);
  const autoApproval = autoApprovalDue(run, times);
  if (autoApproval !== null) looks.push(autoApproval);
  if (run.status === "Running" && run.lastHeartbeatAt !== null) {
    looks.push(Date.parse(run.lastHeartbeatAt) + run.timeoutSeconds * 1000 + 1);
  }
  const dispatched = unclaimedSince(run);
  if (dispatched !== null) looks.push(dispatched + times.dispatchWaitMs);
  return looks.length === 0 ? null : Math.min(...looks);
}
