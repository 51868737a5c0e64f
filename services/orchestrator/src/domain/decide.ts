import type { Actor, ExecutionCompleted, ExecutionStarted } from "@textops/contracts";
import type { Run } from "./stored-run.js";
import { ChangeBuilder, nothing, type Decision } from "./decision.js";
import { dispatchOf } from "./dispatch-of.js";
import { completed, heartbeat, started, timeout, unclaimed } from "./execution-decisions.js";
import { notice, runDestination, texts, type Destination } from "./notices.js";
import type { SlotOutcome } from "./slot-holders.js";
import { isExecuting, isWaitingForSlot } from "./slot-state.js";

/** Everything that can happen to an existing run; a person's command names where its notices go (`replyTo`). */
export type RunInput =
  | {
      kind: "approve";
      actor: Actor;
      replyTo: Destination;
      /** For a job with a concurrency limit: whether the app layer holds the run a slot. */
      slot?: SlotOutcome;
    }
  | { kind: "deny" | "cancel"; actor: Actor; replyTo: Destination }
  | { kind: "status"; replyTo: Destination }
  /** Start a run waiting for a slot; only with one held for it by the app layer. */
  | { kind: "admit"; slot?: SlotOutcome }
  /** Tell the requester if no worker has taken the dispatch within `waitMs`. */
  | { kind: "unclaimed"; waitMs: number }
  | { kind: "started"; message: ExecutionStarted }
  | { kind: "heartbeat"; at: string; attempt: number }
  | { kind: "completed"; message: ExecutionCompleted }
  | { kind: "expire" }
  | { kind: "timeout" };

export interface DecideContext {
  /** Epoch milliseconds: the clock value the decision is made at. */
  now: number;
  /** Makes idempotency keys of notices unique per command. */
  commandId: string;
}

/**
 * The state machine: (run, input, clock) → decision. Pure and total: every
 * status × input pair has an answer; an input that is not allowed changes
 * nothing and, for a person's command, gets a notice saying why.
 */
export function decide(run: Run, input: RunInput, ctx: DecideContext): Decision {
  const at = new Date(ctx.now).toISOString();
  switch (input.kind) {
    case "approve":
      return approve(run, input, at, ctx);
    case "deny":
      return deny(run, input.actor, input.replyTo, at, ctx);
    case "cancel":
      return cancel(run, input.actor, input.replyTo, at, ctx);
    case "status":
      return nothing([
        notice(input.replyTo, texts.status(run), run.runId, `status:${run.runId}:${ctx.commandId}`),
      ]);
    case "started":
      return started(run, input.message, at);
    case "heartbeat":
      return heartbeat(run, input.at, input.attempt);
    case "completed":
      return completed(run, input.message, at);
    case "expire":
      return expire(run, at, ctx.now);
    case "timeout":
      return timeout(run, at, ctx.now);
    case "admit":
      return admit(run, input.slot, at);
    case "unclaimed":
      return unclaimed(run, input.waitMs, at, ctx.now);
  }
}

function rejected(run: Run, verb: string, to: Destination, ctx: DecideContext): Decision {
  const key = `rejected:${verb}:${run.runId}:${ctx.commandId}`;
  return nothing([notice(to, texts.rejected(run, verb), run.runId, key)]);
}

type Approve = Extract<RunInput, { kind: "approve" }>;

/** A job with a limit starts only with a slot held; without one, the run waits (no attempt yet). */
function approve(run: Run, input: Approve, at: string, ctx: DecideContext) {
  const { actor, replyTo: to } = input;
  if (run.status !== "AwaitingApproval") return rejected(run, "approve", to, ctx);
  const change = new ChangeBuilder(run, at)
    .event("RunApproved", actor, {})
    .set({ status: "Dispatching", approvedAt: at });
  const limit = run.job.concurrency;
  if (limit !== undefined && input.slot !== "held") {
    const text = texts.waitingForSlot(run, limit);
    return change
      .event("WaitingForSlot", "system", { limit })
      .set({ waitingForSlot: true })
      .decide([notice(to, text, run.runId, `approved-waiting:${run.runId}`)]);
  }
  const attempt = run.attempt + 1;
  return change
    .event("ExecutionDispatched", "system", { attempt })
    .set({ attempt })
    .decide([notice(to, texts.approved(run), run.runId, `approved-starting:${run.runId}`)], {
      dispatch: dispatchOf(run, attempt, at, [actor]),
    });
}

function admit(run: Run, slot: SlotOutcome | undefined, at: string): Decision {
  if (!isWaitingForSlot(run) || slot !== "held") return nothing();
  const attempt = run.attempt + 1;
  const text = texts.admitted(run);
  return new ChangeBuilder(run, at)
    .event("ExecutionDispatched", "system", { attempt })
    .set({ attempt, waitingForSlot: false })
    .decide([notice(runDestination(run), text, run.runId, `admitted:${run.runId}`)], {
      dispatch: dispatchOf(run, attempt, at),
    });
}

function deny(run: Run, actor: Actor, to: Destination, at: string, ctx: DecideContext) {
  if (run.status !== "AwaitingApproval") return rejected(run, "deny", to, ctx);
  return new ChangeBuilder(run, at)
    .event("RunDenied", actor, {})
    .set({ status: "Denied" })
    .decide([notice(to, texts.denied(run), run.runId, `denied:${run.runId}`)]);
}

function cancel(run: Run, actor: Actor, to: Destination, at: string, ctx: DecideContext) {
  const { status } = run;
  if (
    status !== "Created" &&
    status !== "AwaitingApproval" &&
    status !== "Dispatching" &&
    status !== "Running"
  ) {
    return rejected(run, "cancel", to, ctx);
  }
  // A run waiting for a slot has no dispatch out: there is no worker to stop.
  const stopWorker = isExecuting(run);
  return new ChangeBuilder(run, at)
    .event("RunCancelled", actor, { previousStatus: status })
    .set({ status: "Cancelled", waitingForSlot: false })
    .decide([notice(to, texts.cancelled(run), run.runId, `cancelled:${run.runId}`)], {
      cancel: stopWorker ? { runId: run.runId, attempt: run.attempt } : null,
    });
}

function expire(run: Run, at: string, now: number): Decision {
  if (run.status !== "AwaitingApproval" || Date.parse(run.approvalExpiresAt) > now)
    return nothing();
  return new ChangeBuilder(run, at)
    .event("RunExpired", "scheduler", { expiresAt: run.approvalExpiresAt })
    .set({ status: "Expired" })
    .decide([notice(runDestination(run), texts.expired(run), run.runId, `expired:${run.runId}`)]);
}
