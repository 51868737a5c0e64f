import { RunEvent, RunStatus } from "@textops/contracts";
import type { Run } from "./stored-run.js";
import { describe, expect, test } from "vitest";
import { decide, type RunInput } from "./decide.js";
import { retryDelayMs } from "./execution-decisions.js";
import { aRun, T0 } from "../testing/run-builder.js";

const to = { channelId: "dev", conversation: "dev:user2" };
const actor = "user:dev:user2" as const;
const later = (ms: number) => new Date(T0 + ms).toISOString();

const inputs: Record<string, RunInput> = {
  approve: { kind: "approve", actor, replyTo: to },
  deny: { kind: "deny", actor, replyTo: to },
  cancel: { kind: "cancel", actor, replyTo: to },
  status: { kind: "status", replyTo: to },
  started: {
    kind: "started",
    message: { runId: "K7Q2MX", attempt: 1, workerId: "w1", startedAt: later(1) },
  },
  heartbeat: { kind: "heartbeat", attempt: 1, at: later(2) },
  completed: {
    kind: "completed",
    message: {
      runId: "K7Q2MX",
      attempt: 1,
      workerId: "w1",
      outcome: "Succeeded",
      summary: "done",
      durationMs: 3,
      completedAt: later(3),
    },
  },
  expire: { kind: "expire" },
  timeout: { kind: "timeout" },
  // Only for runs waiting for a slot, or dispatched and unclaimed: decide.slots and dispatch-wait tests.
  admit: { kind: "admit", slot: "held" },
  unclaimed: { kind: "unclaimed", waitMs: 60_000 },
  // Noted in any status, changing none (delivery-decisions.test.ts).
  delivery: {
    kind: "delivery",
    report: {
      channelId: "dev",
      conversation: "dev:user1",
      idempotencyKey: "approval-request:K7Q2MX",
      correlationId: "K7Q2MX",
      outcome: "delivered",
      at: later(4),
    },
  },
};

/** The status each (status, input) pair leads to; anything not listed leaves the status as is. */
const allowed: Partial<Record<RunStatus, Partial<Record<string, RunStatus>>>> = {
  Created: { cancel: "Cancelled" },
  AwaitingApproval: {
    approve: "Dispatching",
    deny: "Denied",
    cancel: "Cancelled",
    expire: "Expired",
  },
  Dispatching: { cancel: "Cancelled", started: "Running", completed: "Succeeded" },
  Running: { cancel: "Cancelled", completed: "Succeeded", timeout: "TimedOut" },
};

// Far enough in the future that approvals have expired and heartbeats are stale.
const NOW = T0 + 10 * 3600_000;

describe(decide.name, () => {
  const pairs = RunStatus.options.flatMap((status) =>
    Object.keys(inputs).map((input) => [status, input] as const),
  );

  test.each(pairs)("%s × %s has a defined answer", (status, name) => {
    const run = aRun({ status });
    const input = inputs[name] as RunInput;
    const decision = decide(run, input, { now: NOW, commandId: "c1" });
    const expected = allowed[status]?.[name] ?? status;

    expect(decision.change?.status ?? status).toBe(expected);
    for (const event of decision.change?.events ?? []) expect(RunEvent.parse(event)).toEqual(event);
    const seqs = (decision.change?.events ?? []).map((e) => e.seq);
    expect(seqs).toEqual(seqs.map((_, i) => run.events.length + i + 1));
    if (input.kind === "approve" || input.kind === "deny" || input.kind === "cancel") {
      expect(decision.outbound).toHaveLength(1);
      if (expected === status) expect(decision.outbound[0]?.body).toMatch(/; nothing to /);
    }
    if (input.kind === "status") expect(decision.outbound[0]?.body).toContain(`is ${status}`);
    expect(decision.dispatch !== null).toBe(status === "AwaitingApproval" && name === "approve");
  });

  test("approval dispatches the next attempt with the job's parameters", () => {
    const run = aRun({ attempt: 0, parameters: [{ name: "env", value: "prod" }] });
    const decision = decide(run, inputs.approve as RunInput, { now: T0, commandId: "c" });

    expect(decision.change?.events.map((e) => e.type)).toEqual([
      "RunApproved",
      "ExecutionDispatched",
    ]);
    expect(decision.dispatch).toMatchObject({
      runId: "K7Q2MX",
      attempt: 1,
      parameters: [{ name: "env", value: "prod" }],
      timeoutSeconds: 60,
    });
    expect(decision.outbound[0]).toMatchObject({
      conversation: "dev:user2",
      idempotencyKey: "approved-starting:K7Q2MX",
    });
  });

  test("a rejected command says why in the user's words", () => {
    const run = aRun({ status: "Succeeded" });
    const decision = decide(run, inputs.approve as RunInput, { now: T0, commandId: "c" });
    expect(decision.change).toBeNull();
    expect(decision.outbound[0]?.body).toBe("Run K7Q2MX already succeeded; nothing to approve.");
  });

  test("a callback for another attempt or a finished run is recorded and ignored", () => {
    const stale = decide(aRun({ status: "Running", attempt: 2 }), inputs.completed as RunInput, {
      now: T0,
      commandId: "c",
    });
    expect(stale.change?.status).toBe("Running");
    expect(stale.change?.events[0]).toMatchObject({
      type: "CallbackIgnored",
      payload: { kind: "completed", attempt: 1, reason: "attempt 1 is not the current attempt 2" },
    });
    const late = decide(aRun({ status: "Cancelled" }), inputs.started as RunInput, {
      now: T0,
      commandId: "c",
    });
    expect(late.change?.events[0]?.type).toBe("CallbackIgnored");
    expect(late.cancel).toEqual({ runId: "K7Q2MX", attempt: 1 });
  });

  test("completion notices go to the run's conversation, failure included", () => {
    const input = inputs.completed as Extract<RunInput, { kind: "completed" }>;
    const failed: RunInput = {
      ...input,
      message: { ...input.message, outcome: "Failed", summary: "exit 1" },
    };
    const decision = decide(aRun({ status: "Running" }), failed, { now: T0, commandId: "c" });
    expect(decision.change?.status).toBe("Failed");
    expect(decision.outbound).toEqual([
      {
        channelId: "dev",
        conversation: "dev:user1",
        body: "Run K7Q2MX failed (exit 1)",
        correlationId: "K7Q2MX",
        idempotencyKey: "completed:K7Q2MX:1",
      },
    ]);
  });

  test.each([
    ["exit 3: database is locked", "Run K7Q2MX failed (exit 3): database is locked"],
    ["HTTP 404: no such site", "Run K7Q2MX failed (HTTP 404): no such site"],
    ["disk full", "Run K7Q2MX failed: disk full"],
    ["exit code unknown", "Run K7Q2MX failed: exit code unknown"],
  ])("a failure %j is told as %j", (summary, body) => {
    const input = inputs.completed as Extract<RunInput, { kind: "completed" }>;
    const failed: RunInput = {
      ...input,
      message: { ...input.message, outcome: "Failed", summary },
    };

    const decision = decide(aRun({ status: "Running" }), failed, { now: T0, commandId: "c" });

    expect(decision.outbound[0]?.body).toBe(body);
  });

  test("expiry and timeout wait for their moment", () => {
    const awaiting: Run = aRun();
    expect(decide(awaiting, { kind: "expire" }, { now: T0, commandId: "s" }).change).toBeNull();
    const running = aRun({ status: "Running", lastHeartbeatAt: later(0) });
    const inTime = decide(running, { kind: "timeout" }, { now: T0 + 60_000, commandId: "s" });
    expect(inTime.change).toBeNull();
    const late = decide(running, { kind: "timeout" }, { now: T0 + 60_001, commandId: "s" });
    expect(late.change?.status).toBe("TimedOut");
    expect(late.cancel).toEqual({ runId: "K7Q2MX", attempt: 1 });
  });

  test("a heartbeat only moves the last-seen time forward", () => {
    const running = aRun({ status: "Running", lastHeartbeatAt: later(5) });
    const older = decide(
      running,
      { kind: "heartbeat", attempt: 1, at: later(4) },
      { now: T0, commandId: "h" },
    );
    expect(older.change).toBeNull();
    const newer = decide(
      running,
      { kind: "heartbeat", attempt: 1, at: later(6) },
      { now: T0, commandId: "h" },
    );
    expect(newer.change).toEqual({
      status: "Running",
      attempt: 1,
      lastHeartbeatAt: later(6),
      approvedAt: null,
      waitingForSlot: false,
      events: [],
    });
  });
});

describe("a lost worker", () => {
  const lostReport = (attempt: number): RunInput => ({
    kind: "completed",
    message: {
      runId: "K7Q2MX",
      attempt,
      workerId: "w2",
      outcome: "Lost",
      summary: "worker lost",
      durationMs: 0,
      completedAt: later(9),
    },
  });

  test("a job safe to run again gets a new attempt on the timeline", () => {
    const run = aRun({ status: "Running", attempt: 1, retryOnWorkerLoss: true });
    const decision = decide(run, lostReport(1), { now: T0, commandId: "c" });

    expect(decision.change?.status).toBe("Dispatching");
    expect(decision.change?.events.map((e) => [e.type, e.payload])).toEqual([
      ["ExecutionLost", { attempt: 1, reportedBy: "w2" }],
      ["ExecutionDispatched", { attempt: 2 }],
    ]);
    expect(decision.dispatch).toMatchObject({ attempt: 2, jobKey: "demo" });
    expect(decision.outbound).toEqual([]);
  });

  test("a job not safe to run again fails as worker lost, and the requester is told", () => {
    const run = aRun({ status: "Running", attempt: 1, retryOnWorkerLoss: false });
    const decision = decide(run, lostReport(1), { now: T0, commandId: "c" });

    expect(decision.change?.status).toBe("Failed");
    expect(decision.dispatch).toBeNull();
    expect(decision.outbound[0]?.body).toBe("Run K7Q2MX failed: worker lost");
  });

  test("after the last allowed attempt a lost worker fails the run", () => {
    const run = aRun({ status: "Running", attempt: 3, retryOnWorkerLoss: true });
    expect(decide(run, lostReport(3), { now: T0, commandId: "c" }).change?.status).toBe("Failed");
  });

  test("a loss reported for an older attempt is recorded and ignored", () => {
    const run = aRun({ status: "Running", attempt: 2, retryOnWorkerLoss: true });
    const decision = decide(run, lostReport(1), { now: T0, commandId: "c" });
    expect(decision.change?.events.map((e) => e.type)).toEqual(["CallbackIgnored"]);
    expect(decision.dispatch).toBeNull();
  });
});

test("a completion that overtakes its start records both, in order", () => {
  const decision = decide(aRun({ status: "Dispatching" }), inputs.completed as RunInput, {
    now: T0,
    commandId: "c",
  });
  expect(decision.change?.events.map((e) => [e.type, e.actor])).toEqual([
    ["ExecutionStarted", "worker:w1"],
    ["ExecutionSucceeded", "worker:w1"],
  ]);
  expect(decision.change?.status).toBe("Succeeded");
});

describe("retryable failures", () => {
  const failure = (attempt: number, retryable: boolean): RunInput => ({
    kind: "completed",
    message: {
      runId: "K7Q2MX",
      attempt,
      workerId: "w1",
      outcome: "Failed",
      summary: "service unavailable",
      durationMs: 5,
      completedAt: later(9),
      retryable,
    },
  });

  test("are retried with backoff while attempts remain, and the requester is told", () => {
    const run = aRun({ status: "Running", attempt: 1, maxAttempts: 3 });
    const decision = decide(run, failure(1, true), { now: T0, commandId: "c" });

    expect(decision.change?.status).toBe("Dispatching");
    expect(decision.change?.events.map((e) => e.type)).toEqual([
      "ExecutionFailed",
      "RetryScheduled",
      "ExecutionDispatched",
    ]);
    expect(decision.dispatch).toMatchObject({ attempt: 2 });
    expect(decision.dispatchDelayMs).toBe(retryDelayMs("K7Q2MX", 1));
    expect(decision.outbound[0]?.body).toMatch(
      /^Run K7Q2MX attempt 1 failed: service unavailable\. Trying again in 1 s \(attempt 2 of 3\)\.$/,
    );
  });

  test("the delay doubles per attempt, with jitter of at most a quarter", () => {
    for (const attempt of [1, 2, 3, 4]) {
      const delay = retryDelayMs("K7Q2MX", attempt);
      expect(delay).toBeGreaterThanOrEqual(0.75 * 1000 * 2 ** (attempt - 1));
      expect(delay).toBeLessThanOrEqual(1000 * 2 ** (attempt - 1));
    }
  });

  test("the last allowed attempt, or a failure not marked retryable, fails the run", () => {
    const last = aRun({ status: "Running", attempt: 3, maxAttempts: 3 });
    expect(decide(last, failure(3, true), { now: T0, commandId: "c" }).change?.status).toBe(
      "Failed",
    );
    const first = aRun({ status: "Running", attempt: 1, maxAttempts: 3 });
    expect(decide(first, failure(1, false), { now: T0, commandId: "c" }).change?.status).toBe(
      "Failed",
    );
  });
});
