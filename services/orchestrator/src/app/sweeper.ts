import type { Logger } from "pino";
import type { RunInput } from "../domain/decide.js";
import { sweepInput } from "../domain/look-plan.js";
import type { KeyedLock } from "./keyed-lock.js";
import type { Clock, InboxStore, WatchedInbox, WatchedRun } from "./ports.js";
import { applyToRun, type RunCommandDeps } from "./run-commands.js";

export interface SweepDeps extends RunCommandDeps {
  inbox: InboxStore;
  clock: Clock;
  lock: KeyedLock;
}

export interface SweepReport {
  expired: number;
  timedOut: number;
  republished: number;
}

const BATCH = 200;

/**
 * One pass of the periodic work: expire runs nobody approved in time, time
 * out runs whose worker went quiet, and publish outbox entries a crash left
 * behind. It reads only what the watch lists say is due (see watch-list.ts),
 * never every run stored. Every write is version-guarded, so two
 * orchestrators sweeping at once (a failover) change each run once.
 */
export async function sweepOnce(deps: SweepDeps): Promise<SweepReport> {
  const now = deps.clock();
  const at = new Date(now).toISOString();
  const report: SweepReport = { expired: 0, timedOut: 0, republished: 0 };
  for (const watched of await deps.runs.due(at, BATCH)) await lookAtRun(deps, watched, now, report);
  for (const watched of await deps.inbox.due(at, BATCH)) {
    report.republished += await lookAtInbox(deps, watched, now);
  }
  return report;
}

async function lookAtRun(deps: SweepDeps, watched: WatchedRun, now: number, report: SweepReport) {
  const run = await deps.runs.find(watched.runId);
  if (!run || run.version < watched.intent) {
    // A write was announced and is not made yet, or never will be (a crash): look again later.
    await deps.commit.lookAgainLater(watched, now);
    return;
  }
  const input = sweepInput(run, now);
  if (input && (await applySweep(deps, run.runId, input, now)) === "applied") {
    report[input.kind === "expire" ? "expired" : "timedOut"] += 1;
    return; // the write planned the run's next look itself
  }
  report.republished += await deps.commit.republishRun(watched, run, now);
}

async function applySweep(deps: SweepDeps, runId: string, input: RunInput, now: number) {
  const result = await deps.lock.run(runId, () =>
    applyToRun(deps, {
      runId,
      input,
      now,
      causationId: `sweep:${input.kind}:${runId}`,
      processedKey: null,
    }),
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
        if (report.expired + report.timedOut + report.republished > 0) log.info(report, "swept");
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
