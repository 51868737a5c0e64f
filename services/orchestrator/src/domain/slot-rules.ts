import { isTerminal } from "@textops/contracts";
import type { RunInput } from "./decide.js";
import type { RunChange } from "./decision.js";
import type { SlotHolder, SlotOutcome } from "./slot-holders.js";
import { approvalOutcome, underPolicy } from "./run-approval.js";
import { isExecuting, isWaitingForSlot } from "./slot-state.js";
import type { Run } from "./stored-run.js";

/*
 * When the orchestrator asks for, gives back and reclaims a slot of a job
 * with a concurrency limit. A run may execute only while it holds one:
 * it is dispatched only by a write decided with a slot held for the very
 * version of the run that write replaces, and keeps it until it ends.
 */

/** The limit a slot must be asked for under before `input` is decided on `run`; null: none. */
export function slotToAsk(run: Run, input: RunInput): number | null {
  const limit = run.job.concurrency;
  if (limit === undefined) return null;
  if (input.kind === "approve" && run.status === "AwaitingApproval") {
    // Under a policy, only the approval that completes it starts the run.
    if (input.by === undefined || !underPolicy(run)) return limit;
    const outcome = approvalOutcome(run, input.by, input.code ?? null, input.expectedCode ?? null);
    return outcome.kind === "approved" && outcome.complete ? limit : null;
  }
  if (input.kind === "admit" && isWaitingForSlot(run)) return limit;
  return null;
}

/** What the slots need after an apply: give the run's slot back and let the next in, or only let the next in. */
export type SlotFollowUp = "release" | "admit-next" | null;

/** After a write from `before` to `after`: the run ended, or it now waits. */
export function slotFollowUp(
  before: Run,
  after: Pick<Run, "status" | "waitingForSlot">,
): SlotFollowUp {
  if (before.job.concurrency === undefined) return null;
  if (isTerminal(after.status) && !isTerminal(before.status)) return "release";
  if (isWaitingForSlot(after) && !isWaitingForSlot(before)) return "admit-next";
  return null;
}

/**
 * By the run's state alone, for when the write itself is not at hand: a
 * redelivery of a change made before a crash, or a slot asked for by a
 * decision that then did not commit. Both follow-ups are idempotent.
 */
export function settledFollowUp(run: Run): SlotFollowUp {
  if (run.job.concurrency === undefined) return null;
  if (isTerminal(run.status)) return "release";
  return isWaitingForSlot(run) ? "admit-next" : null;
}

/** The input with the slot outcome it is to be decided with. */
export function withSlot(input: RunInput, slot: SlotOutcome): RunInput {
  return input.kind === "approve" || input.kind === "admit" ? { ...input, slot } : input;
}

/** A slot asked for this long ago by a run that still does not execute is looked into. */
export const STALE_HOLDING_MS = 60_000;

/**
 * What reconciling does with one holder: keep it; release it (its run ended,
 * or never existed); or fence the run first, then release it. The last is for
 * a run still awaiting approval or waiting long after its slot was asked for
 * (an approve or admit that crashed between asking and writing): the fence
 * makes any such decision still in flight fail its version guard.
 */
export function holderCheck(
  holder: SlotHolder,
  run: Run | null,
  now: number,
): "keep" | "release" | "fence" {
  if (!run || isTerminal(run.status)) return "release";
  if (isExecuting(run)) return "keep";
  return now - Date.parse(holder.askedAt) > STALE_HOLDING_MS ? "fence" : "keep";
}

/** The fence: a write that changes nothing but the run's version. */
export function fence(run: Run): RunChange {
  return {
    status: run.status,
    attempt: run.attempt,
    lastHeartbeatAt: run.lastHeartbeatAt,
    approvedAt: run.approvedAt,
    waitingForSlot: run.waitingForSlot,
    events: [],
  };
}
