// Scenario 6: growth. The orchestrator's cost per message with 1,000 and with
// BENCH_GROWTH_RUNS runs already stored (copies of a run taken through the system,
// with its inbox entries, written straight into the database), measured one message
// at a time on an otherwise idle system: `run demo`, then `yes <id>`, alternately.
// Bounded by BENCH_GROWTH_BUDGET seconds: at a size where one message costs more
// than the time left, fewer samples are taken, and that is reported.
import { QUEUES } from "@textops/contracts";
import { waitForOrchestrator } from "../lib/bus.js";
import type { BenchContext } from "../lib/context.js";
import { finishedRunTemplate, storeCopies } from "../lib/history.js";
import type { MemoryMb } from "../lib/proc.js";
import { latencySummary, round, type LatencySummary } from "../lib/stats.js";

interface SizeMeasurement {
  samples: number;
  timedOut: boolean;
  /** Per message: the mean of the median `run` and the median `yes` (or `run` alone). */
  costMs: number | null;
  msPerMessage: LatencySummary;
  runMs: LatencySummary;
  yesMs: LatencySummary;
  orchestratorMemoryMb: MemoryMb | null;
}

export type GrowthSize = { storedRuns: number; seedSeconds: number } & SizeMeasurement;

export interface GrowthResult {
  sizes: GrowthSize[];
  skippedSizes: number[];
  costRatio: number | null;
  seconds: number;
}

export async function growth(ctx: BenchContext): Promise<GrowthResult> {
  const { config } = ctx;
  const started = Date.now();
  const deadline = started + config.growthBudgetSeconds * 1000;
  const dbName = ctx.dbName("growth");
  const db = ctx.mongo.db(dbName);
  const sizes = [config.growthSmallRuns];
  if (config.growthRuns > 10 * config.growthSmallRuns * 3) sizes.push(10 * config.growthSmallRuns);
  sizes.push(config.growthRuns);

  // One run through the real system (on the empty database, where the orchestrator
  // makes its indexes first, as in production) is the model of every stored one.
  ctx.progress.update("taking one run through the system as the model");
  const template = await finishedRunTemplate(ctx, dbName);

  const results: GrowthSize[] = [];
  let stored = 1;
  for (const [i, size] of sizes.entries()) {
    const t0 = performance.now();
    await storeCopies(db, template, stored, size, {
      onProgress: (n) => ctx.progress.update(`storing runs: ${n}/${size}`),
    });
    const seedSeconds = (performance.now() - t0) / 1000;
    stored = size;
    const last = i === sizes.length - 1;
    // A smaller size costs less per message: it gets a smaller share of what is left.
    const share = last ? deadline - Date.now() : (deadline - Date.now()) / (sizes.length - i + 1);
    const result = await measureAt(ctx, dbName, size, Date.now() + share);
    results.push({ storedRuns: size, seedSeconds: round(seedSeconds, 1), ...result });
    ctx.progress.note(
      `growth ${size} runs stored (seeded in ${seedSeconds.toFixed(1)} s): ${result.samples} messages, run ${result.runMs.p50} ms, yes ${result.yesMs.p50} ms`,
    );
    if (Date.now() > deadline) break;
  }
  const skipped = sizes.slice(results.length);
  if (skipped.length > 0) ctx.progress.note(`growth: no time left for ${skipped.join(", ")} runs`);
  const first = results[0];
  const lastResult = results.at(-1);
  return {
    sizes: results,
    skippedSizes: skipped,
    costRatio:
      first && lastResult && first !== lastResult && first.costMs && lastResult.costMs
        ? round(lastResult.costMs / first.costMs, 2)
        : null,
    seconds: round((Date.now() - started) / 1000, 1),
  };
}

/** `run demo` and `yes <id>` one at a time with `size` runs stored, until `until` (epoch ms). */
async function measureAt(
  ctx: BenchContext,
  dbName: string,
  size: number,
  until: number,
): Promise<SizeMeasurement> {
  const orchestrator = ctx.services.orchestrator(dbName);
  const sink = await ctx.bus.sinkDispatches();
  const samples: { run: number[]; yes: number[] } = { run: [], yes: [] };
  let timedOut = false;
  try {
    ctx.progress.update(`${size} runs stored: starting the orchestrator`);
    await waitForOrchestrator(ctx.bus, Math.max(60_000, until - Date.now()));
    let pendingRunId: string | null = null;
    for (let n = 0; n < ctx.config.growthSamples; n += 1) {
      const left = until - Date.now();
      // The next message must fit in the time left (a yes costs about twice a run).
      const expected = pendingRunId
        ? Math.max(0, ...samples.yes, 2 * Math.max(0, ...samples.run))
        : Math.max(0, ...samples.run);
      if (n >= 1 && left < expected) break;
      const body = pendingRunId ? `yes ${pendingRunId}` : "run demo";
      const t0 = performance.now();
      let reply;
      try {
        reply = await ctx.bus.request(body, `grower${n % 5}`, {
          timeoutMs: Math.max(10_000, left),
        });
      } catch (error) {
        timedOut = true;
        ctx.progress.note(
          `growth ${size}: ${error instanceof Error ? error.message : String(error)}`,
        );
        break;
      }
      const ms = performance.now() - t0;
      if (pendingRunId) {
        samples.yes.push(ms);
        pendingRunId = null;
      } else {
        samples.run.push(ms);
        pendingRunId = reply.runId;
      }
      ctx.progress.update(`${size} runs stored: ${n + 1} messages, last ${Math.round(ms)} ms`);
    }
    const run = latencySummary(samples.run);
    const yes = latencySummary(samples.yes);
    return {
      samples: samples.run.length + samples.yes.length,
      timedOut,
      costMs: yes.p50 === null || run.p50 === null ? run.p50 : round((run.p50 + yes.p50) / 2, 1),
      msPerMessage: latencySummary([...samples.run, ...samples.yes]),
      runMs: run,
      yesMs: yes,
      orchestratorMemoryMb: ctx.recordMemory(
        "orchestrator-growth",
        "orchestrator",
        `with ${size} runs stored`,
        orchestrator,
      ),
    };
  } finally {
    await sink.stop();
    await ctx.bus.purge([QUEUES.orchestratorInput]);
    await orchestrator.stop();
    await ctx.bus.purge([QUEUES.outbound("dev"), QUEUES.workerDispatch]);
  }
}
