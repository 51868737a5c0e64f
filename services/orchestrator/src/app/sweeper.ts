import type { Logger } from "pino";
import { sweepInput, type SweepInput } from "../domain/look-plan.js";
import type { LookTimes } from "../domain/next-look.js";
import type { Run } from "../domain/stored-run.js";
import type { KeyedLock } from "./keyed-lock.js";
import type { InboxStore, WatchedInbox, WatchedRun } from "./ports.js";
import { applyToRun, type RunCommandDeps } from "./run-commands.js";
import { reconcileSlots } from "./slot-reconcile.js";

export interface SweepDeps extends RunCommandDeps, LookTimes {
  inbox: InboxStore;
  lock: KeyedLock;
}

export interface SweepReport {
  /** Runs of jobs that approve by themselves, approved after a crash kept them waiting. */
  autoApproved: number;
  expired: number;
  /** Runs whose approval went to the people their policy escalates to. */
  escalated: number;
  timedOut: number;
  /** Requesters told that no worker has taken their run's dispatch. */
  unclaimed: number;
  republished: number;
  /** Slots given back that a crash had left taken. */
  slotsReleased: number;
}

const REPORTED: Record<SweepInput["kind"], keyof SweepReport> = {
  approve: "autoApproved",
  expire: "expired",
  escalate: "escalated",
  timeout: "timedOut",
  unclaimed: "unclaimed",
};

const BATCH = 200;

/**
 * One pass of the periodic work: expire or escalate runs nobody approved in time, time
 * out runs whose worker went quiet, tell requesters whose dispatch no worker
 * takes, publish outbox entries a crash left behind, and reconcile the slots
 * of jobs with a concurrency limit. It reads only what the watch lists say
 * is due (see watch-list.ts), the holders of those slots, and per job with
 * slots its oldest waiting run (from the small list of waiters, see
 * adapters/mongo/slot-waiters.ts), never every run stored. Every write is
 * version-guarded, so two orchestrators sweeping at
 * once (a failover) change each run once.
 */
export async function sweepOnce(deps: SweepDeps): Promise<SweepReport> {
  const now = deps.clock();
  const at = new Date(now).toISOString();
  const report: SweepReport = {
    autoApproved: 0,
    expired: 0,
    escalated: 0,
    timedOut: 0,
    unclaimed: 0,
    republished: 0,
    slotsReleased: 0,
  };
  for (const watched of await deps.runs.due(at, BATCH)) await lookAtRun(deps, watched, now, report);
  for (const watched of await deps.inbox.due(at, BATCH)) {
    report.republished += await lookAtInbox(deps, watched, now);
  }
  report.slotsReleased = await reconcileSlots(deps, now);
  return report;
}

async function lookAtRun(deps: SweepDeps, watched: WatchedRun, now: number, report: SweepReport) {
  const run = await deps.runs.find(watched.runId);
  if (!run || run.version < watched.intent) {
    // A write was announced and is not made yet, or never will be (a crash): look again later.
    await deps.commit.lookAgainLater(watched, now);
    return;
  }
  const input = sweepInput(run, now, deps);
  if (input && (await applySweep(deps, run, input, now)) === "applied") {
    report[REPORTED[input.kind]] += 1;
    return; // the write planned the run's next look itself
  }
  report.republished += await deps.commit.republishRun(watched, run, now);
}

async function applySweep(deps: SweepDeps, run: Run, input: SweepInput, now: number) {
  const { runId } = run;
  // Per attempt: a notice about a later attempt's dispatch is not a repeat of the first's.
  const causationId = `sweep:${input.kind}:${runId}:${run.attempt}`;
  const result = await deps.lock.run(runId, () =>
    applyToRun(deps, { runId, input, now, causationId, processedKey: null }),
  );
  return result.kind;
}

async function lookAtInbox(deps: SweepDeps, watched: WatchedInbox, now: number) {
  const found = await deps.inbox.find(watched);
  if (!found?.landed) {
    await deps.commit.lookAgainLater(watched, now);
    return 0;
  }
  return deps.commit.republishInbox(watched, found.entry, now);
}

/** Runs sweepOnce now and then every `intervalMs`, until stopped. */
export function startSweeping(deps: SweepDeps, intervalMs: number, log: Logger) {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  let stopped = false;
  const tick = () => {
    running = sweepOnce(deps)
      .then((report) => {
        if (Object.values(report).some((count) => count > 0)) log.info(report, "swept");
      })
      .catch((error: unknown) => log.warn({ err: error }, "sweep failed; trying again later"))
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, intervalMs);
      });
  };
  tick();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
