import { describe, expect, test } from "vitest";
import { aRun, T0 } from "../testing/run-builder.js";
import { announcedLook, inboxLook, retryLook, settledLook, sweepInput } from "./look-plan.js";

const iso = (ms: number) => new Date(ms).toISOString();
const AGE = 30_000;
const TIMES = { outboxAgeMs: AGE, dispatchWaitMs: 60_000 };

describe(announcedLook.name, () => {
  test("a write that adds no entry and keeps the status announces nothing", () => {
    const run = aRun({ status: "Running" });
    expect(
      announcedLook(run, { ...run, lastHeartbeatAt: iso(T0 + 5_000) }, 0, T0, TIMES),
    ).toBeNull();
  });

  test("a write that adds entries announces a look once they are old, or sooner", () => {
    const run = aRun({ status: "AwaitingApproval" });
    const after = { ...run, status: "Dispatching" as const };
    expect(announcedLook(run, after, 1, T0, TIMES)).toBe(iso(T0 + AGE));
    expect(announcedLook(run, run, 1, T0, { ...TIMES, outboxAgeMs: 7_200_000 })).toBe(
      run.approvalExpiresAt,
    );
  });

  test("a write that changes the status announces the new state's look", () => {
    const run = aRun({ status: "AwaitingApproval" });
    expect(announcedLook(run, { ...run, status: "Denied" }, 0, T0, TIMES)).toBeNull();
    const running = { ...run, status: "Running" as const, lastHeartbeatAt: iso(T0) };
    expect(announcedLook(run, running, 0, T0, TIMES)).toBe(iso(T0 + 60_000 + 1));
  });
});

describe(settledLook.name, () => {
  test("pending entries are looked at once old; none left, only the state counts", () => {
    const run = aRun({ status: "AwaitingApproval" });
    expect(settledLook(run, 2, T0, TIMES)).toBe(iso(T0 + AGE));
    expect(settledLook(run, 0, T0, TIMES)).toBe(run.approvalExpiresAt);
    expect(settledLook(aRun({ status: "Succeeded" }), 0, T0, TIMES)).toBeNull();
  });
});

describe(inboxLook.name, () => {
  test("notices kept in the inbox are looked at once they are the age old", () => {
    expect(inboxLook(T0, AGE)).toEqual({ now: iso(T0), lookAt: iso(T0 + AGE) });
  });
});

describe(sweepInput.name, () => {
  test("an approval expires once its time has come", () => {
    const run = aRun({ status: "AwaitingApproval" });
    const expiry = Date.parse(run.approvalExpiresAt);
    expect(sweepInput(run, expiry - 1, TIMES)).toBeNull();
    expect(sweepInput(run, expiry, TIMES)).toEqual({ kind: "expire" });
  });

  test("a running job times out once its heartbeat is more than its timeout old", () => {
    const run = aRun({ status: "Running", lastHeartbeatAt: iso(T0), timeoutSeconds: 60 });
    expect(sweepInput(run, T0 + 60_000, TIMES)).toBeNull();
    expect(sweepInput(run, T0 + 60_001, TIMES)).toEqual({ kind: "timeout" });
  });

  test("a finished run has nothing to sweep", () => {
    expect(sweepInput(aRun({ status: "Succeeded" }), T0 + 86_400_000, TIMES)).toBeNull();
  });
});

describe(retryLook.name, () => {
  test("looks again after the age at first, then as long as it has waited, at most an hour", () => {
    expect(retryLook(iso(T0), T0 + 1_000, AGE)).toBe(iso(T0 + 1_000 + AGE));
    expect(retryLook(iso(T0), T0 + 120_000, AGE)).toBe(iso(T0 + 240_000));
    expect(retryLook(iso(T0), T0 + 86_400_000, AGE)).toBe(iso(T0 + 86_400_000 + 3_600_000));
  });
});
