import type { Run } from "./stored-run.js";
import type { RunInput } from "./decide.js";
import {
  autoApprovalDue,
  escalationDue,
  nextLookAt,
  type LookState,
  type LookTimes,
} from "./next-look.js";

/** When the sweeper must look at notices kept in the inbox, and the time it is now. */
export interface LookPlan {
  now: string;
  lookAt: string;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/**
 * The look a run write announces before it is made (see adapters/mongo/watch-list.ts), or
 * null when the write cannot make a look due sooner: it adds no outbox entry
 * and keeps the status, so it only moves a heartbeat on or records an event.
 */
export function announcedLook(
  before: Run,
  after: LookState,
  added: number,
  now: number,
  times: LookTimes,
): string | null {
  if (added === 0 && after.status === before.status) return null;
  return iso(nextLookAt(after, added > 0 ? now : null, times));
}

/** The look a run needs once published entries are gone and `pending` are left. */
export function settledLook(
  run: LookState,
  pending: number,
  now: number,
  times: LookTimes,
): string | null {
  return iso(nextLookAt(run, pending > 0 ? now : null, times));
}

/** Notices kept in the inbox are looked at once they are `outboxAgeMs` old. */
export function inboxLook(now: number, outboxAgeMs: number): LookPlan {
  return { now: new Date(now).toISOString(), lookAt: new Date(now + outboxAgeMs).toISOString() };
}

/** What a sweep may do to a run. */
export type SweepInput = Extract<
  RunInput,
  { kind: "approve" | "expire" | "escalate" | "timeout" | "unclaimed" }
>;

/** What the sweeper does to a run in this state at `now`, if anything: each status has one concern. */
export function sweepInput(run: LookState, now: number, times: LookTimes): SweepInput | null {
  const due = nextLookAt(run, null, times);
  if (due === null || due > now) return null;
  if (run.status === "AwaitingApproval") {
    // Once expired, there is nobody left to escalate to.
    if (Date.parse(run.approvalExpiresAt) <= now) return { kind: "expire" };
    const autoApproval = autoApprovalDue(run, times);
    if (autoApproval !== null && autoApproval <= now) {
      const replyTo = { channelId: run.channelId, conversation: run.conversationId };
      return { kind: "approve", actor: "policy", replyTo };
    }
    const escalation = escalationDue(run);
    return escalation !== null && escalation <= now ? { kind: "escalate" } : null;
  }
  if (run.status === "Running") return { kind: "timeout" };
  return run.status === "Dispatching" ? { kind: "unclaimed", waitMs: times.dispatchWaitMs } : null;
}

/** For a write announced but not (yet) seen made: look again, less often the longer it stays so. */
export function retryLook(announcedAt: string, now: number, outboxAgeMs: number): string {
  const waited = now - Date.parse(announcedAt);
  return new Date(now + Math.min(Math.max(waited, outboxAgeMs), 3_600_000)).toISOString();
}
