import { RunEvent, RunStatus } from "@textops/contracts";
import { describe, expect, test } from "vitest";
import { aRun, demoJob, T0 } from "../testing/run-builder.js";
import { decide, type RunInput } from "./decide.js";
import type { Decision } from "./decision.js";
import { unclaimedSince } from "./dispatch-wait.js";
import { sweepInput } from "./look-plan.js";
import { nextLookAt } from "./next-look.js";
import type { Run } from "./stored-run.js";

const WAIT = 60_000;
const times = { outboxAgeMs: 5_000, dispatchWaitMs: WAIT };
const to = { channelId: "dev", conversation: "dev:user1" };
const check: RunInput = { kind: "unclaimed", waitMs: WAIT };
const job = { ...demoJob, pool: "deployers" };

function after(run: Run, decision: Decision): Run {
  if (!decision.change) return run;
  const { events, ...fields } = decision.change;
  return { ...run, ...fields, events: [...run.events, ...events], version: run.version + 1 };
}

/** Approved (and dispatched) at `at`. */
function dispatchedAt(at: number, fields: Partial<Run> = {}): Run {
  const run = aRun({ job, attempt: 0, lastHeartbeatAt: null, ...fields });
  const approve: RunInput = { kind: "approve", actor: "user:dev:user1", replyTo: to };
  return after(run, decide(run, approve, { now: at, commandId: "yes" }));
}

const lostAt = (run: Run, at: number): RunInput => ({
  kind: "completed",
  message: {
    runId: run.runId,
    attempt: run.attempt,
    workerId: "w2",
    outcome: "Lost",
    summary: "worker lost",
    durationMs: 0,
    completedAt: new Date(at).toISOString(),
  },
});

describe("a dispatch nobody picks up", () => {
  test("is told about once it has waited, not a moment before", () => {
    const run = dispatchedAt(T0);
    expect(decide(run, check, { now: T0 + WAIT - 1, commandId: "s" }).change).toBeNull();
    const decision = decide(run, check, { now: T0 + WAIT, commandId: "s" });
    expect(decision.change?.status).toBe("Dispatching");
    expect(decision.change?.events.map((e) => [e.type, e.actor, e.payload])).toEqual([
      ["DispatchUnclaimed", "scheduler", { attempt: 1, pool: "deployers", waitedSeconds: 60 }],
    ]);
    for (const event of decision.change?.events ?? []) expect(RunEvent.parse(event)).toEqual(event);
    expect(decision.outbound).toEqual([
      {
        ...to,
        body: 'Run K7Q2MX is still waiting: no worker of pool "deployers" has picked it up in 60 s.',
        correlationId: "K7Q2MX",
        idempotencyKey: "unclaimed:K7Q2MX:1",
      },
    ]);
    expect(decision.dispatch).toBeNull();
    expect(decision.cancel).toBeNull();
  });

  test("is told about once per attempt: the event on the timeline is the memory", () => {
    const told = after(
      dispatchedAt(T0),
      decide(dispatchedAt(T0), check, { now: T0 + WAIT, commandId: "s" }),
    );
    expect(unclaimedSince(told)).toBeNull();
    expect(decide(told, check, { now: T0 + 10 * WAIT, commandId: "s" }).change).toBeNull();

    const again = after(
      told,
      decide(told, lostAt(told, T0 + 2 * WAIT), { now: T0 + 2 * WAIT, commandId: "l" }),
    );
    expect(again.attempt).toBe(2);
    expect(unclaimedSince(again)).toBe(T0 + 2 * WAIT);
    const second = decide(again, check, { now: T0 + 3 * WAIT, commandId: "s" });
    expect(second.change?.events[0]).toMatchObject({ payload: { attempt: 2, waitedSeconds: 60 } });
  });

  test("a retry's wait counts from when its delayed dispatch reaches the queue", () => {
    const running = aRun({ job, status: "Running", attempt: 1, maxAttempts: 3 });
    const failed: RunInput = {
      kind: "completed",
      message: {
        runId: "K7Q2MX",
        attempt: 1,
        workerId: "w1",
        outcome: "Failed",
        summary: "busy",
        durationMs: 1,
        completedAt: new Date(T0).toISOString(),
        retryable: true,
      },
    };
    const decision = decide(running, failed, { now: T0, commandId: "c" });
    const retried = after(running, decision);
    expect(unclaimedSince(retried)).toBe(T0 + (decision.dispatchDelayMs ?? NaN));
  });

  test("is not a concern of a run that started, waits for a slot, or is in any other state", () => {
    const run = dispatchedAt(T0);
    const start: RunInput = {
      kind: "started",
      message: {
        runId: "K7Q2MX",
        attempt: 1,
        workerId: "w1",
        startedAt: new Date(T0).toISOString(),
      },
    };
    const started = after(run, decide(run, start, { now: T0, commandId: "st" }));
    const waiting = dispatchedAt(T0, { job: { ...job, concurrency: 1 } });
    expect(waiting.waitingForSlot).toBe(true);
    for (const quiet of [started, waiting]) {
      expect(unclaimedSince(quiet)).toBeNull();
      expect(decide(quiet, check, { now: T0 + 10 * WAIT, commandId: "s" }).change).toBeNull();
    }
    for (const status of RunStatus.options.filter((s) => s !== "Dispatching")) {
      const other = { ...run, status };
      expect(decide(other, check, { now: T0 + 10 * WAIT, commandId: "s" }).change).toBeNull();
    }
  });
});

describe("the sweeper's look at a dispatched run", () => {
  test("is planned for the moment the wait is over, and asks for the check then", () => {
    const run = dispatchedAt(T0);
    expect(nextLookAt(run, null, times)).toBe(T0 + WAIT);
    expect(nextLookAt(run, T0, times)).toBe(T0 + 5_000);
    expect(sweepInput(run, T0 + WAIT - 1, times)).toBeNull();
    expect(sweepInput(run, T0 + WAIT, times)).toEqual(check);
  });

  test("is not planned for a run waiting for a slot, nor once the requester was told", () => {
    const waiting = dispatchedAt(T0, { job: { ...job, concurrency: 1 } });
    expect(nextLookAt(waiting, null, times)).toBeNull();
    const run = dispatchedAt(T0);
    const told = after(run, decide(run, check, { now: T0 + WAIT, commandId: "s" }));
    expect(nextLookAt(told, null, times)).toBeNull();
  });
});
