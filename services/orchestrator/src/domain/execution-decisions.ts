import type { ExecutionCompleted, ExecutionStarted } from "@textops/contracts";
import { ChangeBuilder, nothing, type Decision } from "./decision.js";
import { dispatchOf } from "./dispatch-of.js";
import { unclaimedSince } from "./dispatch-wait.js";
import { notice, runDestination, texts } from "./notices.js";
import { isExecuting } from "./slot-state.js";
import type { Run } from "./stored-run.js";

/*
 * What the state machine (decide.ts) does with what happens to a dispatched
 * run: worker callbacks, and the sweeper's timeout and unclaimed-dispatch checks.
 */

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

export function started(run: Run, m: ExecutionStarted, at: string): Decision {
  if (run.status === "Dispatching" && !run.waitingForSlot && m.attempt === run.attempt) {
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

export function heartbeat(run: Run, beatAt: string, attempt: number): Decision {
  const fresher = run.lastHeartbeatAt === null || beatAt > run.lastHeartbeatAt;
  if (run.status !== "Running" || attempt !== run.attempt || !fresher) return nothing();
  return new ChangeBuilder(run, beatAt).set({ lastHeartbeatAt: beatAt }).decide();
}

export function completed(run: Run, m: ExecutionCompleted, at: string): Decision {
  const inFlight = isExecuting(run);
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

/** Once per attempt: the DispatchUnclaimed event is the memory that the requester was told. */
export function unclaimed(run: Run, waitMs: number, at: string, now: number): Decision {
  const since = unclaimedSince(run);
  if (since === null || now - since < waitMs) return nothing();
  const { pool } = run.job;
  const waitedSeconds = Math.floor((now - since) / 1000);
  const text = texts.unclaimed(run, pool, waitedSeconds);
  return new ChangeBuilder(run, at)
    .event("DispatchUnclaimed", "scheduler", { attempt: run.attempt, pool, waitedSeconds })
    .decide([
      notice(runDestination(run), text, run.runId, `unclaimed:${run.runId}:${run.attempt}`),
    ]);
}

export function timeout(run: Run, at: string, now: number): Decision {
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
