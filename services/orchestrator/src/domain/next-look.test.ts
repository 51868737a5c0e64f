import { RunStatus } from "@textops/contracts";
import { describe, expect, test } from "vitest";
import { decide } from "./decide.js";
import { nextLookAt } from "./next-look.js";
import { aRun, T0 } from "../testing/run-builder.js";

const ctx = (now: number) => ({ now, commandId: "sweep" });
const times = (outboxAgeMs: number) => ({ outboxAgeMs, dispatchWaitMs: 60_000 });

describe(nextLookAt.name, () => {
  test("an approval is looked at the moment it expires, not a millisecond before", () => {
    const run = aRun({ status: "AwaitingApproval" });
    const at = nextLookAt(run, null, times(5000));

    expect(at).toBe(Date.parse(run.approvalExpiresAt));
    expect(decide(run, { kind: "expire" }, ctx((at ?? 0) - 1)).change).toBeNull();
    expect(decide(run, { kind: "expire" }, ctx(at ?? 0)).change?.status).toBe("Expired");
  });

  test("a running job is looked at the moment its heartbeat is too old, not before", () => {
    const run = aRun({ status: "Running", lastHeartbeatAt: new Date(T0 + 30_000).toISOString() });
    const at = nextLookAt(run, null, times(5000));

    expect(at).toBe(T0 + 30_000 + 60_000 + 1);
    expect(decide(run, { kind: "timeout" }, ctx((at ?? 0) - 1)).change).toBeNull();
    expect(decide(run, { kind: "timeout" }, ctx(at ?? 0)).change?.status).toBe("TimedOut");
  });

  test("pending outbox entries are looked at once they are old enough, whichever comes first", () => {
    expect(nextLookAt(aRun({ status: "Dispatching" }), T0, times(5000))).toBe(T0 + 5000);
    expect(nextLookAt(aRun({ status: "Succeeded" }), T0, times(0))).toBe(T0);
    const expiresSoon = aRun({ approvalExpiresAt: new Date(T0 + 1000).toISOString() });
    expect(nextLookAt(expiresSoon, T0, times(5000))).toBe(T0 + 1000);
  });

  test("nothing to look at in any other state with nothing pending", () => {
    const quiet = RunStatus.options.filter((s) => s !== "AwaitingApproval" && s !== "Running");
    for (const status of quiet) expect(nextLookAt(aRun({ status }), null, times(5000))).toBeNull();
    expect(
      nextLookAt(aRun({ status: "Running", lastHeartbeatAt: null }), null, times(5000)),
    ).toBeNull();
  });
});
