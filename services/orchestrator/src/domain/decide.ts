import type {
  Actor,
  ExecutionCompleted,
  ExecutionStarted,
  UnsignedDispatch,
} from "@textops/contracts";
import type { Run } from "./stored-run.js";
import { ChangeBuilder, nothing, type Decision } from "./decision.js";
import { notice, runDestination, texts, type Destination } from "./notices.js";

/** Everything that can happen to an existing run; a person's command names where its notices go (`replyTo`). */
export type RunInput =
  | { kind: "approve" | "deny" | "cancel"; actor: Actor; replyTo: Destination }
  | { kind: "status"; replyTo: Destination }
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
      return approve(run, input.actor, input.replyTo, at, ctx);
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
  }
}

function rejected(run: Run, verb: string, to: Destination, ctx: DecideContext): Decision {
  const key = `rejected:${verb}:${run.runId}:${ctx.commandId}`;
  return nothing([notice(to, texts.rejected(run, verb), run.runId, key)]);
}

function approve(run: Run, actor: Actor, to: Destination, at: string, ctx: DecideContext) {
  if (run.status !== "AwaitingApproval") return rejected(run, "approve", to, ctx);
  const attempt = run.attempt + 1;
  return new ChangeBuilder(run, at)
    .event("RunApproved", actor, {})
    .event("ExecutionDispatched", "system", { attempt })
    .set({ status: "Dispatching", attempt })
    .decide([notice(to, texts.approved(run), run.runId, `approved-starting:${run.runId}`)], {
      dispatch: dispatchOf(run, attempt, at, [actor]),
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
  const stopWorker = status === "Dispatching" || status === "Running";
  return new ChangeBuilder(run, at)
    .event("RunCancelled", actor, { previousStatus: status })
    .set({ status: "Cancelled" })
    .decide([notice(to, texts.cancelled(run), run.runId, `cancelled:${run.runId}`)], {
      cancel: stopWorker ? { runId: run.runId, attempt: run.attempt } : null,
    });
}

function ignored(
  run: Run,
  at: string,
  kind: "started" | "completed",
  attempt: number,
  workerId: string,
) {
  const reason =
    attempt !== run.attempt
      ? `attempt ${attempt} is not the current attempt ${run.attempt}`
      : `run is ${run.status}`;
  return new ChangeBuilder(run, at).event("CallbackIgnored", `worker:${workerId}`, {
    kind,
    attempt,
    reason,
  });
}

function started(run: Run, m: ExecutionStarted, at: string): Decision {
  if (run.status === "Dispatching" && m.attempt === run.attempt) {
    return new ChangeBuilder(run, at)
      .event("ExecutionStarted", `worker:${m.workerId}`, {
        attempt: m.attempt,
        workerId: m.workerId,
      })
      .set({ status: "Running", lastHeartbeatAt: m.startedAt })
      .decide();
  }
  // A worker that starts a run cancelled while its dispatch waited is told to stop.
  const stop = run.status === "Cancelled" && m.attempt === run.attempt;
  return ignored(run, at, "started", m.attempt, m.workerId).decide([], {
    cancel: stop ? { runId: run.runId, attempt: m.attempt } : null,
  });
}

function heartbeat(run: Run, beatAt: string, attempt: number): Decision {
  const fresher = run.lastHeartbeatAt === null || beatAt > run.lastHeartbeatAt;
  if (run.status !== "Running" || attempt !== run.attempt || !fresher) return nothing();
  return new ChangeBuilder(run, beatAt).set({ lastHeartbeatAt: beatAt }).decide();
}

function completed(run: Run, m: ExecutionCompleted, at: string): Decision {
  const inFlight = run.status === "Running" || run.status === "Dispatching";
  if (m.outcome === "Lost" && inFlight && m.attempt === run.attempt) return lost(run, m, at);
  if (!inFlight || m.attempt !== run.attempt) {
    return ignored(run, at, "completed", m.attempt, m.workerId).decide();
  }
  const succeeded = m.outcome === "Succeeded";
  const payload = { attempt: m.attempt, summary: m.summary, durationMs: m.durationMs };
  const text = succeeded ? texts.succeeded(run, m.summary) : texts.failed(run, m.summary);
  const retry = !succeeded && m.retryable === true && run.attempt < run.maxAttempts;
  const change = new ChangeBuilder(run, at);
  // A retried ExecutionStarted can come back behind its completion: the completion implies it.
  if (run.status === "Dispatching") {
    change.event("ExecutionStarted", `worker:${m.workerId}`, {
      attempt: m.attempt,
      workerId: m.workerId,
    });
  }
  if (retry)
    return retryLater(run, change.event("ExecutionFailed", `worker:${m.workerId}`, payload), m, at);
  return change
    .event(succeeded ? "ExecutionSucceeded" : "ExecutionFailed", `worker:${m.workerId}`, payload)
    .set({ status: succeeded ? "Succeeded" : "Failed" })
    .decide([notice(runDestination(run), text, run.runId, `completed:${run.runId}:${m.attempt}`)]);
}

/** The worker running the attempt died: run it again if the job allows, else it failed. */
function lost(run: Run, m: ExecutionCompleted, at: string): Decision {
  const reportedBy = `worker:${m.workerId}` as const;
  const lostEvent = { attempt: m.attempt, reportedBy: m.workerId };
  if (run.retryOnWorkerLoss && run.attempt < run.maxAttempts) {
    const attempt = run.attempt + 1;
    return new ChangeBuilder(run, at)
      .event("ExecutionLost", reportedBy, lostEvent)
      .event("ExecutionDispatched", "system", { attempt })
      .set({ status: "Dispatching", attempt, lastHeartbeatAt: null })
      .decide([], { dispatch: dispatchOf(run, attempt, at) });
  }
  const payload = { attempt: m.attempt, summary: "worker lost", durationMs: m.durationMs };
  return new ChangeBuilder(run, at)
    .event("ExecutionLost", reportedBy, lostEvent)
    .event("ExecutionFailed", "system", payload)
    .set({ status: "Failed" })
    .decide([
      notice(
        runDestination(run),
        texts.failed(run, "worker lost"),
        run.runId,
        `completed:${run.runId}:${m.attempt}`,
      ),
    ]);
}

/** Base of the exponential backoff between attempts after retryable failures. */
export const RETRY_BASE_MS = 1000;

/**
 * Backoff with jitter: base × 2^(attempt-1), scaled by 0.75–1 from a hash of
 * the run and attempt, so the core stays deterministic and replays agree.
 */
export function retryDelayMs(runId: string, attempt: number): number {
  let hash = attempt;
  for (const char of runId) hash = (hash * 31 + char.charCodeAt(0)) % 1009;
  return Math.round(RETRY_BASE_MS * 2 ** (attempt - 1) * (0.75 + (0.25 * hash) / 1009));
}

function retryLater(run: Run, change: ChangeBuilder, m: ExecutionCompleted, at: string): Decision {
  const attempt = run.attempt + 1;
  const delayMs = retryDelayMs(run.runId, run.attempt);
  const text = texts.retrying(run, m.summary, delayMs, attempt);
  return change
    .event("RetryScheduled", "system", { attempt, delayMs })
    .event("ExecutionDispatched", "system", { attempt })
    .set({ status: "Dispatching", attempt, lastHeartbeatAt: null })
    .decide([notice(runDestination(run), text, run.runId, `retry:${run.runId}:${attempt}`)], {
      dispatch: dispatchOf(run, attempt, at),
      dispatchDelayMs: delayMs,
    });
}

/** What the workers are handed: the run's recorded definition and values, and who asked and approved. */
function dispatchOf(
  run: Run,
  attempt: number,
  at: string,
  approvingNow: Actor[] = [],
): UnsignedDispatch {
  const approvedBy = run.events.filter((e) => e.type === "RunApproved").map((e) => e.actor);
  const requestedBy = run.events.find((e) => e.type === "RunCreated")?.actor ?? "system";
  return {
    runId: run.runId,
    attempt,
    jobKey: run.jobKey,
    job: run.job,
    catalogVersion: run.catalogVersion,
    parameters: run.parameters,
    timeoutSeconds: run.timeoutSeconds,
    retryOnWorkerLoss: run.retryOnWorkerLoss,
    requestedBy,
    approvedBy: [...approvedBy, ...approvingNow],
    dispatchedAt: at,
  };
}

function expire(run: Run, at: string, now: number): Decision {
  if (run.status !== "AwaitingApproval" || Date.parse(run.approvalExpiresAt) > now)
    return nothing();
  return new ChangeBuilder(run, at)
    .event("RunExpired", "scheduler", { expiresAt: run.approvalExpiresAt })
    .set({ status: "Expired" })
    .decide([notice(runDestination(run), texts.expired(run), run.runId, `expired:${run.runId}`)]);
}

function timeout(run: Run, at: string, now: number): Decision {
  const last = run.lastHeartbeatAt;
  if (run.status !== "Running" || last === null) return nothing();
  if (now - Date.parse(last) <= run.timeoutSeconds * 1000) return nothing();
  return new ChangeBuilder(run, at)
    .event("RunTimedOut", "scheduler", { attempt: run.attempt, lastHeartbeatAt: last })
    .set({ status: "TimedOut" })
    .decide(
      [
        notice(
          runDestination(run),
          texts.timedOut(run, run.timeoutSeconds),
          run.runId,
          `timed-out:${run.runId}`,
        ),
      ],
      { cancel: { runId: run.runId, attempt: run.attempt } },
    );
}
