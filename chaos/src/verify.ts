import {
  RUN_TIMELINES,
  type RunEvent,
  type RunStatus,
  type RunTimelineDocument,
} from "@textops/contracts";
import type { Db } from "mongodb";
import type { LogLine } from "./cluster.js";
import { REFUSED_RUNS, type Sent } from "./workload.js";

/**
 * What the checks read of a run's stored document: its public part, and two
 * of the orchestrator's own fields, read as a white box: the outbox must be
 * drained, and each applied message leaves its key in `processed`.
 */
type Run = RunTimelineDocument & { outbox: unknown[]; processed: { key: string }[] };

export interface Verdict {
  runs: number;
  lost: string[];
  doubled: string[];
  illegal: string[];
  unsettled: string[];
}

type Phase = RunStatus | "Approved" | "Lost" | "Retrying" | "WaitingForSlot";

/** Which event may follow which state, and the state it leads to. */
const PATH: Record<RunEvent["type"], [Phase[], Phase | null]> = {
  RunCreated: [[], "Created"],
  ApprovalRequested: [["Created"], "AwaitingApproval"],
  ApprovalGiven: [["AwaitingApproval"], "AwaitingApproval"],
  ConfirmCodeRefused: [["AwaitingApproval"], "AwaitingApproval"],
  ApprovalEscalated: [["AwaitingApproval"], "AwaitingApproval"],
  RunApproved: [["AwaitingApproval"], "Approved"],
  WaitingForSlot: [["Approved"], "WaitingForSlot"],
  RunDenied: [["AwaitingApproval"], "Denied"],
  RunExpired: [["AwaitingApproval"], "Expired"],
  ExecutionDispatched: [["Approved", "Lost", "Retrying", "WaitingForSlot"], "Dispatching"],
  ExecutionStarted: [["Dispatching"], "Running"],
  ExecutionSucceeded: [["Running"], "Succeeded"],
  ExecutionFailed: [["Running", "Lost"], "Failed"],
  ExecutionLost: [["Running", "Dispatching"], "Lost"],
  RetryScheduled: [["Failed"], "Retrying"],
  RunTimedOut: [["Running"], "TimedOut"],
  RunCancelled: [
    ["Created", "AwaitingApproval", "WaitingForSlot", "Dispatching", "Running"],
    "Cancelled",
  ],
  CallbackIgnored: [[], null],
  DispatchUnclaimed: [[], null],
  // What became of a notice: noted in any state, terminal ones included.
  NoticeDelivered: [[], null],
  NoticeEdited: [[], null],
  NoticeNotDelivered: [[], null],
};

const TERMINAL = new Set<Phase>([
  "Succeeded",
  "Failed",
  "Denied",
  "Expired",
  "Cancelled",
  "TimedOut",
]);

/** Replays a run's events through the state machine; returns what is wrong, if anything. */
export function checkPath(run: Run): string | null {
  let phase: Phase | null = null;
  for (const [i, event] of run.events.entries()) {
    if (event.seq !== i + 1) return `event ${event.type} has seq ${event.seq}, expected ${i + 1}`;
    const [from, to] = PATH[event.type];
    if (to === null) continue;
    const allowed = phase === null ? from.length === 0 : from.includes(phase);
    if (!allowed) return `${event.type} after ${phase ?? "nothing"}`;
    phase = to;
  }
  // A run waiting for a concurrency slot is Dispatching, its dispatch not yet made.
  const status = phase === "WaitingForSlot" ? "Dispatching" : phase;
  if (status !== run.status)
    return `events end in ${phase ?? "nothing"} but status is ${run.status}`;
  return null;
}

function attemptsOf(run: Run, type: RunEvent["type"]): number[] {
  return run.events
    .filter((e) => e.type === type)
    .map((e) => (e.payload as { attempt: number }).attempt);
}

function repeats(values: number[]): number[] {
  return values.filter((v, i) => values.indexOf(v) !== i);
}

/** Checks every run, every accepted message and every notice after the dust settled. */
export async function verify(db: Db, sent: Sent[], lines: LogLine[]): Promise<Verdict> {
  const runs = await db
    .collection<Run>(RUN_TIMELINES.collection)
    .find({}, { projection: { _id: 0 } })
    .toArray();
  const verdict: Verdict = { runs: runs.length, lost: [], doubled: [], illegal: [], unsettled: [] };
  const byProcessedKey = new Map<string, Run>();
  for (const run of runs) {
    for (const p of run.processed) byProcessedKey.set(p.key, run);
    const wrong = checkPath(run);
    if (wrong) verdict.illegal.push(`${run.runId}: ${wrong}`);
    for (const type of ["ExecutionDispatched", "ExecutionStarted", "ExecutionSucceeded"] as const) {
      const twice = repeats(attemptsOf(run, type));
      if (twice.length > 0)
        verdict.doubled.push(`${run.runId}: ${type} twice for attempt ${twice[0]}`);
    }
    const approved = run.events.some((e) => e.type === "RunApproved");
    if (approved && !TERMINAL.has(run.status))
      verdict.unsettled.push(`${run.runId} is ${run.status}`);
    if (run.outbox.length > 0)
      verdict.lost.push(`${run.runId}: ${run.outbox.length} outbox entries never published`);
  }
  await checkAccepted(db, sent, byProcessedKey, verdict);
  await checkCallbacks(db, new Set(runs.map((r) => r.runId)), byProcessedKey, verdict);
  await checkNotices(db, runs, verdict);
  checkExecutions(lines, verdict);
  return verdict;
}

async function checkAccepted(db: Db, sent: Sent[], byKey: Map<string, Run>, verdict: Verdict) {
  const inbox = db.collection<{ providerMessageId: string; state: string; outbox: unknown[] }>(
    "inbox",
  );
  const entries = await inbox.find({ channelId: { $ne: "worker" } }).toArray();
  // A message answered by a reply alone is done in the inbox; one that changed a run is on it.
  const done = new Set(
    entries
      .filter((e) => e.state === "done" || byKey.has(`dev:${e.providerMessageId}`))
      .map((e) => e.providerMessageId),
  );
  for (const e of entries.filter((x) => x.outbox.length > 0)) {
    verdict.lost.push(`reply to ${e.providerMessageId} never published`);
  }
  for (const message of sent.filter((s) => s.status === 200 || s.status === 202)) {
    if (!done.has(message.providerMessageId)) {
      verdict.lost.push(`accepted ${message.providerMessageId} ("${message.body}") has no effect`);
    } else if (REFUSED_RUNS.includes(message.body)) {
      if (byKey.has(`dev:${message.providerMessageId}`)) {
        verdict.illegal.push(`refused ${message.providerMessageId} ("${message.body}") made a run`);
      }
    } else if (message.body.startsWith("run ") && !byKey.has(`dev:${message.providerMessageId}`)) {
      verdict.lost.push(`accepted ${message.providerMessageId} ("${message.body}") created no run`);
    }
  }
}

/**
 * A worker callback the orchestrator finished with (its inbox entry is done)
 * left its key on the run: if not, a later write overwrote it (a lost update).
 */
async function checkCallbacks(
  db: Db,
  runIds: Set<string>,
  byKey: Map<string, Run>,
  verdict: Verdict,
) {
  const done = await db
    .collection<{ providerMessageId: string; runId: string | null }>("inbox")
    .find({ channelId: "worker", state: "done" })
    .toArray();
  for (const entry of done) {
    const key = `worker:${entry.providerMessageId}`;
    if (entry.runId !== null && runIds.has(entry.runId) && !byKey.has(key))
      verdict.lost.push(`callback ${entry.providerMessageId} was applied but is not on its run`);
  }
}

async function checkNotices(db: Db, runs: Run[], verdict: Verdict) {
  const delivered = await db
    .collection<{ idempotencyKey: string; messageId: string }>("dev_messages")
    .find({}, { projection: { _id: 0, idempotencyKey: 1, messageId: 1 } })
    .toArray();
  const keys = new Map<string, number>();
  for (const m of delivered) keys.set(m.idempotencyKey, (keys.get(m.idempotencyKey) ?? 0) + 1);
  for (const [key, count] of keys) {
    if (count > 1 && !key.startsWith("status:") && !key.startsWith("rejected:")) {
      verdict.doubled.push(`notice ${key} delivered ${count} times`);
    }
  }
  for (const run of runs) {
    const expected = [`approval-request:${run.runId}`];
    for (const [i, event] of run.events.entries()) {
      if (event.type !== "ExecutionSucceeded" && event.type !== "ExecutionFailed") continue;
      const next = run.events[i + 1];
      expected.push(
        next?.type === "RetryScheduled"
          ? `retry:${run.runId}:${next.payload.attempt}`
          : `completed:${run.runId}:${event.payload.attempt}`,
      );
    }
    for (const key of expected)
      if (!keys.has(key)) verdict.lost.push(`notice ${key} never delivered`);
  }
}

/** Each (run, attempt) is executed by at most one worker. */
function checkExecutions(lines: LogLine[], verdict: Verdict) {
  const seen = new Map<string, string>();
  for (const { member, fields } of lines) {
    if (fields.msg !== "running job") continue;
    const key = `${String(fields.runId)}#${String(fields.attempt)}`;
    const other = seen.get(key);
    if (other) verdict.doubled.push(`${key} executed by ${other} and ${member}`);
    seen.set(key, member);
  }
}
