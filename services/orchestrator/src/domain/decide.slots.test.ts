import { RunEvent, RunStatus } from "@textops/contracts";
import { describe, expect, test } from "vitest";
import { aRun, demoJob, T0 } from "../testing/run-builder.js";
import { decide, type RunInput } from "./decide.js";
import type { Decision } from "./decision.js";
import type { SlotOutcome } from "./slot-holders.js";
import type { Run } from "./stored-run.js";

const deployJob = { ...demoJob, concurrency: 1, pool: "deployers" };
const to = { channelId: "dev", conversation: "dev:user2" };
const actor = "user:dev:user2" as const;
const ctx = { now: T0, commandId: "c1" };
const approve = (slot?: SlotOutcome): RunInput => ({
  kind: "approve",
  actor,
  replyTo: to,
  ...(slot ? { slot } : {}),
});

/** The run after a decision, as the store would hold it. */
function after(run: Run, decision: Decision): Run {
  if (!decision.change) return run;
  const { events, ...fields } = decision.change;
  return { ...run, ...fields, events: [...run.events, ...events], version: run.version + 1 };
}

const awaiting = () =>
  aRun({ jobKey: "deploy", job: deployJob, attempt: 0, lastHeartbeatAt: null });
const waitingRun = () => after(awaiting(), decide(awaiting(), approve("full"), ctx));

describe("approving a run of a job with a concurrency limit", () => {
  test.each([
    ["no limit, no slot asked", demoJob, undefined],
    ["no limit, whatever the slot says", demoJob, "full"],
    ["a limit and a slot held", deployJob, "held"],
  ] as const)("%s: dispatched now", (_, job, slot) => {
    const decision = decide(aRun({ job, attempt: 0 }), approve(slot), ctx);
    expect(decision.change).toMatchObject({
      status: "Dispatching",
      attempt: 1,
      waitingForSlot: false,
      approvedAt: new Date(T0).toISOString(),
    });
    expect(decision.dispatch).toMatchObject({ attempt: 1 });
  });

  test.each([
    ["the job is full", "full"],
    ["no slot was asked for", undefined],
  ] as const)("a limit and %s: approved, waiting, nothing dispatched", (_, slot) => {
    const decision = decide(awaiting(), approve(slot), ctx);
    expect(decision.change?.events.map((e) => [e.type, e.actor, e.payload])).toEqual([
      ["RunApproved", actor, {}],
      ["WaitingForSlot", "system", { limit: 1 }],
    ]);
    expect(decision.change).toMatchObject({
      status: "Dispatching",
      attempt: 0,
      waitingForSlot: true,
      approvedAt: new Date(T0).toISOString(),
    });
    expect(decision.dispatch).toBeNull();
    expect(decision.outbound).toEqual([
      {
        ...to,
        body: 'Approved. Run K7Q2MX waits for a free slot: job "deploy" runs at most 1 at once.',
        correlationId: "K7Q2MX",
        idempotencyKey: "approved-waiting:K7Q2MX",
      },
    ]);
  });

  test("a waiting run is already approved: approving it again says so and changes nothing", () => {
    const decision = decide(waitingRun(), approve("held"), ctx);
    expect(decision.change).toBeNull();
    expect(decision.outbound[0]?.body).toBe(
      "Run K7Q2MX was already approved by dev:user2 at 12:00 UTC and waits for a free slot; nothing to approve.",
    );
  });

  test("its status says that it waits, and for what", () => {
    const decision = decide(waitingRun(), { kind: "status", replyTo: to }, ctx);
    expect(decision.outbound[0]?.body).toBe(
      'Run K7Q2MX (job "deploy") is Dispatching, waiting for a free slot (job "deploy" runs at most 1 at once). ' +
        "Latest: 12:00:00 RunCreated; 12:00:00 RunApproved; 12:00:00 WaitingForSlot.",
    );
  });
});

describe("admitting a run", () => {
  const cases = RunStatus.options.flatMap((status) =>
    [true, false].flatMap((waitingForSlot) =>
      (["held", "full", undefined] as const).map((slot) => [status, waitingForSlot, slot] as const),
    ),
  );

  test.each(cases)("%s, waiting %s, slot %s", (status, waitingForSlot, slot) => {
    const run = aRun({ job: deployJob, jobKey: "deploy", status, waitingForSlot, attempt: 0 });
    const decision = decide(run, { kind: "admit", ...(slot ? { slot } : {}) }, ctx);
    if (status !== "Dispatching" || !waitingForSlot || slot !== "held") {
      expect(decision).toEqual({ change: null, outbound: [], dispatch: null, cancel: null });
      return;
    }
    expect(decision.change).toMatchObject({
      status: "Dispatching",
      attempt: 1,
      waitingForSlot: false,
    });
    expect(decision.change?.events.map((e) => [e.type, e.payload])).toEqual([
      ["ExecutionDispatched", { attempt: 1 }],
    ]);
    for (const event of decision.change?.events ?? []) expect(RunEvent.parse(event)).toEqual(event);
    expect(decision.dispatch).toMatchObject({ runId: "K7Q2MX", attempt: 1, job: deployJob });
    expect(decision.outbound).toEqual([
      {
        channelId: "dev",
        conversation: "dev:user1",
        body: 'Run K7Q2MX is starting: a slot of job "deploy" is free.',
        correlationId: "K7Q2MX",
        idempotencyKey: "admitted:K7Q2MX",
      },
    ]);
  });

  test("the dispatch names who approved it while it waited", () => {
    const decision = decide(waitingRun(), { kind: "admit", slot: "held" }, ctx);
    expect(decision.dispatch).toMatchObject({
      approvedBy: [actor],
      requestedBy: "user:dev:user1",
    });
  });
});

describe("a run waiting for a slot", () => {
  test("cancelled, tells no worker to stop: none has it", () => {
    const decision = decide(waitingRun(), { kind: "cancel", actor, replyTo: to }, ctx);
    expect(decision.change).toMatchObject({ status: "Cancelled", waitingForSlot: false });
    expect(decision.change?.events.map((e) => [e.type, e.payload])).toEqual([
      ["RunCancelled", { previousStatus: "Dispatching" }],
    ]);
    expect(decision.cancel).toBeNull();
  });

  test("ignores worker callbacks: nothing of it was dispatched", () => {
    const message = { runId: "K7Q2MX", attempt: 0, workerId: "w1" };
    const at = new Date(T0).toISOString();
    const inputs: RunInput[] = [
      { kind: "started", message: { ...message, startedAt: at } },
      {
        kind: "completed",
        message: { ...message, outcome: "Lost", summary: "lost", durationMs: 0, completedAt: at },
      },
      { kind: "timeout" },
      { kind: "expire" },
    ];
    for (const input of inputs) {
      const change = decide(waitingRun(), input, { now: T0 + 86_400_000, commandId: "c" }).change;
      expect(change?.status ?? "Dispatching").toBe("Dispatching");
      expect(change?.waitingForSlot ?? true).toBe(true);
    }
  });
});

describe("the end of a run holding a slot", () => {
  const finished = (outcome: "Succeeded" | "Failed" | "Lost"): RunInput => ({
    kind: "completed",
    message: {
      runId: "K7Q2MX",
      attempt: 1,
      workerId: "w1",
      outcome,
      summary: outcome,
      durationMs: 1,
      completedAt: new Date(T0).toISOString(),
    },
  });
  const ends: [string, RunInput, RunStatus][] = [
    ["success", finished("Succeeded"), "Succeeded"],
    ["failure", finished("Failed"), "Failed"],
    ["a lost worker, not retried", finished("Lost"), "Failed"],
    ["a timeout", { kind: "timeout" }, "TimedOut"],
    ["a cancel", { kind: "cancel", actor, replyTo: to }, "Cancelled"],
  ];

  test.each(ends)("by %s is what it is without a limit", (_, input, status) => {
    const job = { ...deployJob, retry: { ...deployJob.retry, onWorkerLoss: false } };
    const running = { status: "Running" as const, retryOnWorkerLoss: false, attempt: 1 };
    const now = { now: T0 + 86_400_000, commandId: "c" };
    const limitedEnd = decide(aRun({ ...running, job }), input, now);
    const plainEnd = decide(aRun({ ...running, job: demoJob }), input, now);
    expect(limitedEnd.change?.status).toBe(status);
    expect(limitedEnd.change?.events).toEqual(plainEnd.change?.events);
  });
});
