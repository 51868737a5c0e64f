import type {
  Actor,
  DeliveryReport,
  ExecutionCompleted,
  ExecutionStarted,
  OutboundMessage,
} from "@textops/contracts";
import type { Run } from "./stored-run.js";
import { ChangeBuilder, nothing, type Decision } from "./decision.js";
import { noteDelivery } from "./delivery-decisions.js";
import { dispatchOf } from "./dispatch-of.js";
import { completed, heartbeat, started, timeout, unclaimed } from "./execution-decisions.js";
import { notice, requestTexts, runDestination, texts, type Destination } from "./notices.js";
import {
  approveUnderPolicy,
  denyUnderPolicy,
  escalate,
  takesPart,
  toEachApprover,
  type Approver,
  type PeopleContext,
} from "./decide-under-policy.js";
import { requestOutcome, requestUpdates } from "./request-copies.js";
import { underPolicy } from "./run-approval.js";
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
      /** The person approving, when there is a directory. */
      by?: Approver;
      /** The confirm code the reply carried, and the one this person must give. */
      code?: string | null;
      expectedCode?: string | null;
    }
  | { kind: "deny" | "cancel"; actor: Actor; replyTo: Destination; by?: Approver }
  /** Nobody decided by the policy's escalateAfter: add escalateTo and tell them. */
  | { kind: "escalate" }
  | { kind: "status"; replyTo: Destination; by?: Approver }
  /** Start a run waiting for a slot; only with one held for it by the app layer. */
  | { kind: "admit"; slot?: SlotOutcome }
  /** Tell the requester if no worker has taken the dispatch within `waitMs`. */
  | { kind: "unclaimed"; waitMs: number }
  | { kind: "started"; message: ExecutionStarted }
  | { kind: "heartbeat"; at: string; attempt: number }
  | { kind: "completed"; message: ExecutionCompleted }
  | { kind: "expire" }
  | { kind: "timeout" }
  /** What a channel reported of a notice about the run: noted on its timeline, in any status. */
  | { kind: "delivery"; report: DeliveryReport };

export interface DecideContext {
  /** Epoch milliseconds: the clock value the decision is made at. */
  now: number;
  /** Makes idempotency keys of notices unique per command. */
  commandId: string;
  /** The directory, when there is one: names, and where each person is told things. */
  people?: PeopleContext;
}

/**
 * The state machine: (run, input, clock) → decision. Pure and total: every
 * status × input pair has an answer; an input that is not allowed changes
 * nothing and, for a person's command, gets a notice saying why. A decision
 * that moves a run on from awaiting approval also edits every copy of its
 * approval request (request-copies.ts).
 */
export function decide(run: Run, input: RunInput, ctx: DecideContext): Decision {
  const decision = decideInput(run, input, ctx);
  const updates = requestUpdates(run, decision.change?.events ?? [], ctx.people);
  return updates.length === 0
    ? decision
    : { ...decision, outbound: [...decision.outbound, ...updates] };
}

function decideInput(run: Run, input: RunInput, ctx: DecideContext): Decision {
  const at = new Date(ctx.now).toISOString();
  switch (input.kind) {
    case "approve":
      return approve(run, input, at, ctx);
    case "deny":
      return deny(run, input, at, ctx);
    case "cancel":
      return cancel(run, input, at, ctx);
    case "escalate":
      return escalate(run, at, ctx.now, ctx.people);
    case "status": {
      // Under a policy, a run is seen only by whoever asked, its approvers and admins.
      const hidden = input.by !== undefined && underPolicy(run) && !takesPart(run, input.by);
      const body = hidden ? texts.notFound(run.runId) : texts.status(run);
      return nothing([
        notice(input.replyTo, body, run.runId, `status:${run.runId}:${ctx.commandId}`),
      ]);
    }
    case "started":
      return started(run, input.message, at);
    case "heartbeat":
      return heartbeat(run, input.at, input.attempt);
    case "completed":
      return completed(run, input.message, at);
    case "expire":
      return expire(run, at, ctx);
    case "timeout":
      return timeout(run, at, ctx.now);
    case "admit":
      return admit(run, input.slot, at);
    case "unclaimed":
      return unclaimed(run, input.waitMs, at, ctx.now);
    case "delivery":
      return noteDelivery(run, input.report, at);
  }
}

/**
 * A command the run's status does not allow, answered with why. An approval
 * or denial that came too late says who decided and when.
 */
function rejected(run: Run, verb: string, to: Destination, ctx: DecideContext): Decision {
  const key = `rejected:${verb}:${run.runId}:${ctx.commandId}`;
  const outcome = verb === "cancel" ? null : requestOutcome(run, ctx.people);
  const text =
    outcome === null ? texts.rejected(run, verb) : requestTexts.tooLate(run, outcome, verb);
  return nothing([notice(to, text, run.runId, key)]);
}

type Approve = Extract<RunInput, { kind: "approve" }>;

type Tell = { to: Destination; also: OutboundMessage[] };

function approve(run: Run, input: Approve, at: string, ctx: DecideContext) {
  const { actor, replyTo: to } = input;
  if (actor === "policy") return approveByPolicy(run, input, at);
  if (run.status !== "AwaitingApproval") return rejected(run, "approve", to, ctx);
  if (input.by !== undefined && underPolicy(run) && ctx.people !== undefined) {
    const start = (change: ChangeBuilder, approvers: Actor[], tell: Tell) =>
      startApproved(change, run, input.slot, at, approvers, tell);
    return approveUnderPolicy(
      run,
      { ...input, by: input.by },
      at,
      ctx.commandId,
      ctx.people,
      start,
    );
  }
  const change = new ChangeBuilder(run, at).event("RunApproved", actor, {});
  return startApproved(change, run, input.slot, at, [actor], { to, also: [] });
}

/**
 * A job whose policy approves by itself (autoApprove): approved as soon as it
 * is asked for, by the actor `policy`, on the timeline like any approval. A
 * repeat (the sweeper finishing what a crash interrupted) changes nothing.
 */
function approveByPolicy(run: Run, input: Approve, at: string): Decision {
  if (run.status !== "AwaitingApproval" || run.job.approval?.autoApprove !== true) return nothing();
  const change = new ChangeBuilder(run, at).event("RunApproved", "policy", {});
  return startApproved(change, run, input.slot, at, ["policy"], { to: input.replyTo, also: [] });
}

/**
 * The approval is complete: the run is dispatched, or, for a job with a limit
 * and no slot held, waits for one (no attempt yet). `to` is told which;
 * `also` are sent besides.
 */
export function startApproved(
  change: ChangeBuilder,
  run: Run,
  slot: SlotOutcome | undefined,
  at: string,
  approvers: Actor[],
  tell: Tell,
): Decision {
  change.set({ status: "Dispatching", approvedAt: at });
  const limit = run.job.concurrency;
  if (limit !== undefined && slot !== "held") {
    const text = texts.waitingForSlot(run, limit);
    return change
      .event("WaitingForSlot", "system", { limit })
      .set({ waitingForSlot: true })
      .decide([notice(tell.to, text, run.runId, `approved-waiting:${run.runId}`), ...tell.also]);
  }
  const attempt = run.attempt + 1;
  const starting = notice(
    tell.to,
    texts.approved(run),
    run.runId,
    `approved-starting:${run.runId}`,
  );
  return change
    .event("ExecutionDispatched", "system", { attempt })
    .set({ attempt })
    .decide([starting, ...tell.also], { dispatch: dispatchOf(run, attempt, at, approvers) });
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

type PersonCommand = Extract<RunInput, { kind: "deny" | "cancel" }>;

function deny(run: Run, input: PersonCommand, at: string, ctx: DecideContext) {
  const { actor, replyTo: to } = input;
  if (run.status !== "AwaitingApproval") return rejected(run, "deny", to, ctx);
  if (input.by !== undefined && underPolicy(run) && ctx.people !== undefined) {
    return denyUnderPolicy(run, { ...input, by: input.by }, at, ctx.commandId, ctx.people);
  }
  return new ChangeBuilder(run, at)
    .event("RunDenied", actor, {})
    .set({ status: "Denied" })
    .decide([notice(to, texts.denied(run), run.runId, `denied:${run.runId}`)]);
}

function cancel(run: Run, input: PersonCommand, at: string, ctx: DecideContext) {
  const { actor, replyTo: to } = input;
  const { status } = run;
  if (
    status !== "Created" &&
    status !== "AwaitingApproval" &&
    status !== "Dispatching" &&
    status !== "Running"
  ) {
    return rejected(run, "cancel", to, ctx);
  }
  if (input.by !== undefined && underPolicy(run) && !takesPart(run, input.by)) {
    // To whoever takes no part in it, the run is not there (as for status).
    const key = `rejected:cancel:${run.runId}:${ctx.commandId}`;
    return nothing([notice(to, texts.notFound(run.runId), run.runId, key)]);
  }
  // A run waiting for a slot has no dispatch out: there is no worker to stop.
  const stopWorker = isExecuting(run);
  return new ChangeBuilder(run, at)
    .event("RunCancelled", actor, {
      previousStatus: status,
      ...(input.by === undefined ? {} : { address: input.by.address }),
    })
    .set({ status: "Cancelled", waitingForSlot: false })
    .decide([notice(to, texts.cancelled(run), run.runId, `cancelled:${run.runId}`)], {
      cancel: stopWorker ? { runId: run.runId, attempt: run.attempt } : null,
    });
}

function expire(run: Run, at: string, ctx: DecideContext): Decision {
  if (run.status !== "AwaitingApproval" || Date.parse(run.approvalExpiresAt) > ctx.now)
    return nothing();
  const text = texts.expired(run);
  const toApprovers =
    underPolicy(run) && ctx.people !== undefined
      ? toEachApprover(run, ctx.people, text, `expired:${run.runId}`)
      : [];
  return new ChangeBuilder(run, at)
    .event("RunExpired", "scheduler", { expiresAt: run.approvalExpiresAt })
    .set({ status: "Expired" })
    .decide([notice(runDestination(run), text, run.runId, `expired:${run.runId}`), ...toApprovers]);
}
