import type { ProcessedMessage, Run } from "../domain/stored-run.js";
import type { Logger } from "pino";
import { answer, type Answer } from "../domain/answers.js";
import { decide, type RunInput } from "../domain/decide.js";
import type { Decision } from "../domain/decision.js";
import type { PeopleContext } from "../domain/decide-under-policy.js";
import { underPolicy } from "../domain/run-approval.js";
import { settledFollowUp, slotFollowUp, slotToAsk, withSlot } from "../domain/slot-rules.js";
import type { Commit, Sender } from "./commit.js";
import type { Clock, JobSlots, RunStore } from "./ports.js";

export type ApplyResult =
  | { kind: "not-found" }
  /** The run already holds this message's effect (a redelivery after a crash). */
  | { kind: "already-applied"; run: Run; processed: ProcessedMessage }
  /** `answer` is the answer the run now holds for this message. */
  | { kind: "applied"; run: Run; decision: Decision; answer: Answer }
  | { kind: "unchanged"; run: Run; decision: Decision };

export interface ApplyRequest {
  runId: string;
  input: RunInput;
  now: number;
  /** Id of the message that caused this; outbox message ids derive from it. */
  causationId: string;
  /** Marks the run as holding this message's effect; absent for sweeps and heartbeats. */
  processedKey: string | null;
  /** The answer the run holds for this message once changed. */
  answer?: (run: Run, decision: Decision) => Answer;
}

export interface RunCommandDeps {
  runs: RunStore;
  /** The directory, when there is one (closed mode). */
  people?: PeopleContext;
  /** The slots of jobs with a concurrency limit. */
  slots: JobSlots;
  commit: Commit;
  clock: Clock;
  log: Logger;
}

const MAX_CONFLICTS = 20;

/**
 * Decides on the current run and commits the change; on a conflict (another
 * writer got there first) reads again and decides again. The sender, if one
 * waits, is answered as soon as the change is durable. This is the one path
 * every change to an existing run takes, so the slots of a job with a limit
 * are kept here: asked for before a decision that needs one, given back and
 * passed on after a write that ends or parks a run.
 */
export async function applyToRun(
  deps: RunCommandDeps,
  request: ApplyRequest,
  sender: Sender | null = null,
): Promise<ApplyResult> {
  let heldSlot = false;
  for (let conflicts = 0; conflicts < MAX_CONFLICTS; conflicts += 1) {
    const tried = await attempt(deps, request, sender);
    heldSlot ||= tried.heldSlot;
    if (tried.result !== "conflict") {
      await followUpSlots(deps, tried.result, heldSlot, request.now);
      return tried.result;
    }
    deps.log.debug({ runId: request.runId, conflicts }, "version conflict; deciding again");
  }
  throw new Error(`run ${request.runId} kept changing under ${MAX_CONFLICTS} attempts`);
}

interface Attempt {
  result: ApplyResult | "conflict";
  /** A slot was held for the run while deciding. */
  heldSlot: boolean;
}

async function attempt(
  deps: RunCommandDeps,
  request: ApplyRequest,
  sender: Sender | null,
): Promise<Attempt> {
  const run = await deps.runs.find(request.runId);
  if (!run) return { result: { kind: "not-found" }, heldSlot: false };
  const key = request.processedKey;
  const done = key === null ? undefined : run.processed.find((p) => p.key === key);
  if (done) {
    // A crash may have come between the write and the publish: finish that now.
    await deps.commit.finishRun(run, request.causationId);
    return { result: { kind: "already-applied", run, processed: done }, heldSlot: false };
  }

  const input = await askForSlot(deps, run, withExpectedCode(deps, run, request.input));
  const heldSlot = "slot" in input && input.slot === "held";
  const ctx = { now: request.now, commandId: request.causationId };
  const decision = decide(run, input, deps.people ? { ...ctx, people: deps.people } : ctx);
  if (!decision.change) return { result: { kind: "unchanged", run, decision }, heldSlot };
  const held = request.answer?.(run, decision) ?? causeAnswer(request);
  const commit = {
    run,
    change: decision.change,
    sends: decision,
    causationId: request.causationId,
    now: request.now,
    processed: key === null ? null : { key, reply: held },
  };
  if (!(await deps.commit.runChange(commit, sender))) return { result: "conflict", heldSlot };
  return { result: { kind: "applied", run, decision, answer: held }, heldSlot };
}

/** A yes to a run whose policy asks for a confirm code carries the code this approver must give. */
function withExpectedCode(deps: RunCommandDeps, run: Run, input: RunInput): RunInput {
  if (input.kind !== "approve" || input.by === undefined || deps.people === undefined) return input;
  if (!underPolicy(run) || run.job.approval?.confirmCode !== true) return input;
  return { ...input, expectedCode: deps.people.codeFor(run, input.by.id) };
}

/** The input with the slot outcome it is decided with, for the inputs that need one. */
async function askForSlot(deps: RunCommandDeps, run: Run, input: RunInput): Promise<RunInput> {
  const limit = slotToAsk(run, input);
  if (limit === null) return input;
  // Asked for this very version: a fence above it (slot-reconcile.ts) cannot take the slot from under this decision.
  const claim = { runId: run.runId, forVersion: run.version, at: iso(deps.clock()) };
  return withSlot(input, await deps.slots.acquire(run.jobKey, claim, limit));
}

/**
 * After an apply: a run of a job with a limit that ended gives its slot back,
 * and a run that ended or now waits lets the next waiter in. A redelivery
 * does it again, as a crash may have come before; so does a decision that
 * held a slot and did not commit (its run ended meanwhile, or waits).
 */
async function followUpSlots(
  deps: RunCommandDeps,
  result: ApplyResult,
  heldSlot: boolean,
  now: number,
) {
  if (result.kind === "not-found") return;
  const { run } = result;
  const followUp =
    result.kind === "applied"
      ? slotFollowUp(run, result.decision.change ?? run)
      : result.kind === "already-applied" || heldSlot
        ? settledFollowUp(run)
        : null;
  if (followUp === "release") await deps.slots.release(run.jobKey, run.runId);
  if (followUp !== null) await admitNext(deps, run.jobKey, now);
}

const MAX_ADMITS = 100;

/**
 * Starts the runs of a job waiting longest for a slot, while slots are free:
 * each admit asks for a slot for the run as read and commits only with one held.
 */
export async function admitNext(deps: RunCommandDeps, jobKey: string, now: number) {
  for (let admits = 0; admits < MAX_ADMITS; admits += 1) {
    const runId = await deps.runs.oldestWaitingForSlot(jobKey);
    if (runId === null) return;
    const request = {
      runId,
      input: { kind: "admit" as const },
      now,
      causationId: `admit:${runId}`,
    };
    const result = await applyToRun(deps, { ...request, processedKey: null });
    if (result.kind === "not-found") return;
    // Still waiting after an admit: no slot is free. Otherwise another writer got to it first.
    if (result.kind === "unchanged" && result.run.waitingForSlot) return;
  }
}

/** What a run holds for a worker callback it applied: no one waits for it. */
function causeAnswer(request: ApplyRequest): Answer {
  return answer({
    inboundMessageId: request.causationId,
    intentType: request.input.kind,
    runId: request.runId,
  });
}

const iso = (ms: number) => new Date(ms).toISOString();
