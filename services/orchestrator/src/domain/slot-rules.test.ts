import { RunStatus, isTerminal } from "@textops/contracts";
import { describe, expect, test } from "vitest";
import { aRun, demoJob, T0 } from "../testing/run-builder.js";
import type { RunInput } from "./decide.js";
import {
  STALE_HOLDING_MS,
  fence,
  holderCheck,
  settledFollowUp,
  slotFollowUp,
  slotToAsk,
} from "./slot-rules.js";

const limited = { ...demoJob, concurrency: 2 };
const to = { channelId: "dev", conversation: "dev:user2" };
const approve: RunInput = { kind: "approve", actor: "user:dev:user2", replyTo: to };
const admit: RunInput = { kind: "admit" };
const waiting = { status: "Dispatching" as const, waitingForSlot: true };

describe(slotToAsk.name, () => {
  test("an approval awaited, or an admission of a waiting run, of a job with a limit", () => {
    expect(slotToAsk(aRun({ job: limited }), approve)).toBe(2);
    expect(slotToAsk(aRun({ job: limited, ...waiting }), admit)).toBe(2);
    expect(slotToAsk(aRun({ job: demoJob }), approve)).toBeNull();
    expect(slotToAsk(aRun({ job: limited, status: "Succeeded" }), approve)).toBeNull();
    expect(slotToAsk(aRun({ job: limited, status: "Dispatching" }), admit)).toBeNull();
    expect(
      slotToAsk(aRun({ job: limited }), { kind: "cancel", actor: "system", replyTo: to }),
    ).toBe(null);
  });
});

describe(slotFollowUp.name, () => {
  test.each(RunStatus.options)("a run of a limited job that becomes %s", (status) => {
    const running = aRun({ job: limited, status: "Running" });
    const after = { status, waitingForSlot: false };
    expect(slotFollowUp(running, after)).toBe(isTerminal(status) ? "release" : null);
  });

  test("a run that now waits lets the next in; a job without a limit needs nothing", () => {
    expect(slotFollowUp(aRun({ job: limited }), waiting)).toBe("admit-next");
    expect(slotFollowUp(aRun({ job: limited, ...waiting }), waiting)).toBeNull();
    expect(
      slotFollowUp(aRun({ job: demoJob, status: "Running" }), { ...waiting, status: "Failed" }),
    ).toBeNull();
  });
});

describe(settledFollowUp.name, () => {
  test("by the state alone: ended, release; waiting, admit the next; else nothing", () => {
    expect(settledFollowUp(aRun({ job: limited, status: "Cancelled" }))).toBe("release");
    expect(settledFollowUp(aRun({ job: limited, ...waiting }))).toBe("admit-next");
    expect(settledFollowUp(aRun({ job: limited, status: "Running" }))).toBeNull();
    expect(settledFollowUp(aRun({ job: demoJob, status: "Cancelled" }))).toBeNull();
  });
});

describe(holderCheck.name, () => {
  const holder = { runId: "K7Q2MX", askedAt: new Date(T0).toISOString(), forVersion: 3 };
  const late = T0 + STALE_HOLDING_MS + 1;

  test("a slot of a run that ended, or of no run, is released at once", () => {
    expect(holderCheck(holder, aRun({ status: "TimedOut" }), T0)).toBe("release");
    expect(holderCheck(holder, null, T0)).toBe("release");
  });

  test("a slot of a dispatched or running run is kept, however old", () => {
    expect(holderCheck(holder, aRun({ status: "Running" }), late)).toBe("keep");
    expect(holderCheck(holder, aRun({ status: "Dispatching" }), late)).toBe("keep");
  });

  test("a slot of a run still awaiting approval or waiting is fenced once a minute old", () => {
    for (const run of [aRun({ status: "AwaitingApproval" }), aRun(waiting)]) {
      expect(holderCheck(holder, run, T0 + STALE_HOLDING_MS)).toBe("keep");
      expect(holderCheck(holder, run, late)).toBe("fence");
    }
  });
});

describe(fence.name, () => {
  test("changes nothing of the run and records no event", () => {
    const run = aRun({ ...waiting, approvedAt: new Date(T0).toISOString() });
    expect(fence(run)).toEqual({
      status: run.status,
      attempt: run.attempt,
      lastHeartbeatAt: run.lastHeartbeatAt,
      approvedAt: run.approvedAt,
      waitingForSlot: true,
      events: [],
    });
  });
});
