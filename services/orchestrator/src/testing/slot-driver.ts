import {
  isTerminal,
  type ExecutionCompleted,
  type RunEvent,
  type UnsignedDispatch,
} from "@textops/contracts";
import { isExecuting } from "../domain/slot-state.js";
import type { Run } from "../domain/stored-run.js";
import type { RunStore } from "../app/ports.js";
import type { InMemoryRunStore } from "./in-memory-ports.js";
import type { AppHarness } from "./app-harness.js";

/*
 * A worker's side of the app tests of concurrency limits: what the app
 * dispatched, and callbacks for it, on the harness's clock.
 */

type Outcome = ExecutionCompleted["outcome"];

const ENDINGS = new Set<RunEvent["type"]>([
  "ExecutionSucceeded",
  "ExecutionFailed",
  "RunTimedOut",
  "RunCancelled",
]);

export function slotDriver(h: AppHarness) {
  const at = () => new Date(h.clock.now).toISOString();
  const stored = () => [...h.runs.stored.values()];
  return {
    /** The dispatches published, oldest first. */
    dispatches: () =>
      h.publisher.published
        .filter((p) => p.type === "ExecutionDispatch")
        .map((p) => p.payload as UnsignedDispatch),
    /** Runs dispatched or running now. */
    executing: () =>
      stored()
        .filter(isExecuting)
        .map((r) => r.runId),
    /** Runs waiting for a slot, in the order they were approved. */
    waiting: () =>
      stored()
        .filter((r) => r.waitingForSlot)
        .sort((a, b) => `${a.approvedAt} ${a.runId}`.localeCompare(`${b.approvedAt} ${b.runId}`))
        .map((r) => r.runId),
    run(runId: string): Run {
      const run = h.runs.stored.get(runId);
      if (!run) throw new Error(`no run ${runId}`);
      return run;
    },
    started: (runId: string, attempt = 1, workerId = "w1") =>
      h.deliver("ExecutionStarted", { runId, attempt, workerId, startedAt: at() }),
    heartbeat: (runId: string, attempt = 1, workerId = "w1") =>
      h.deliver("ExecutionHeartbeat", { runId, attempt, workerId, at: at() }),
    completed: (
      runId: string,
      outcome: Outcome,
      fields: { attempt?: number; workerId?: string; retryable?: boolean } = {},
    ) =>
      h.deliver("ExecutionCompleted", {
        runId,
        attempt: fields.attempt ?? 1,
        workerId: fields.workerId ?? "w1",
        outcome,
        summary: outcome === "Lost" ? "worker lost" : outcome.toLowerCase(),
        durationMs: 1,
        completedAt: at(),
        ...(fields.retryable === undefined ? {} : { retryable: fields.retryable }),
      }),
  };
}

/**
 * The first write of an approval of `runId` fails (a crash between asking for
 * a slot and writing) or waits until `open` is called (a slow approve);
 * `reached` tells whether that write has been tried.
 */
export function holdApproveWrite(runId: string, mode: "crash" | "wait") {
  let reached = false;
  let open = () => {};
  const gate = new Promise<void>((resolve) => (open = resolve));
  const decorate = (runs: InMemoryRunStore): RunStore => ({
    ...runs,
    apply: async (id, version, write, lookAt) => {
      const approving = write.events.some((e) => e.type === "RunApproved");
      if (id === runId && approving && !reached) {
        reached = true;
        if (mode === "crash") throw new Error("crashed between asking for a slot and writing");
        await gate;
      }
      return runs.apply(id, version, write, lookAt);
    },
  });
  return { decorate, open, reached: () => reached };
}

/**
 * From the timelines: each run's time executing, from its dispatch to its
 * end, in order of dispatch. Overlaps would mean two ran at once.
 */
export function executionWindows(runs: Run[]): { runId: string; from: string; to: string }[] {
  return runs
    .flatMap((run) => {
      const from = run.events.find((e) => e.type === "ExecutionDispatched")?.at;
      const end = [...run.events].reverse().find((e) => ENDINGS.has(e.type));
      const to = isTerminal(run.status) ? end?.at : undefined;
      return from === undefined ? [] : [{ runId: run.runId, from, to: to ?? "9999" }];
    })
    .sort((a, b) => a.from.localeCompare(b.from));
}
