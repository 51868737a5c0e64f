import type { Logger } from "pino";
import type { RunRepository } from "../adapters/mongo/run.repository.js";
import type { RunInput } from "../domain/decide.js";
import type { OutboxRelay } from "./outbox-relay.js";
import type { Clock } from "./ports.js";
import { applyToRun, type RunCommandDeps } from "./run-commands.js";

export interface SweepDeps extends RunCommandDeps {
  runs: RunRepository;
  relay: OutboxRelay;
  clock: Clock;
  /** Outbox entries younger than this are left to the path that wrote them. */
  outboxAgeMs: number;
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
 * behind. Every write is version-guarded, so two orchestrators sweeping at
 * once (a failover) change each run once.
 */
export async function sweepOnce(deps: SweepDeps): Promise<SweepReport> {
  const now = deps.clock();
  const expiring = await deps.runs.awaitingApprovalExpiredBy(new Date(now).toISOString(), BATCH);
  const expired = await applyEach(deps, expiring, { kind: "expire" }, now);
  const timedOut = await applyEach(deps, await deps.runs.running(BATCH), { kind: "timeout" }, now);
  const republished = await deps.relay.republishPending(now, deps.outboxAgeMs);
  return { expired, timedOut, republished };
}

async function applyEach(deps: SweepDeps, runIds: string[], input: RunInput, now: number) {
  let changed = 0;
  for (const runId of runIds) {
    const result = await deps.lock.run(runId, () =>
      applyToRun(deps, {
        runId,
        input,
        now,
        causationId: `sweep:${input.kind}:${runId}`,
        processedKey: null,
      }),
    );
    if (result.kind === "applied") changed += 1;
  }
  return changed;
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
