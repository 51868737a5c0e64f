// Scenario 5: worker scale-out. The bench publishes `runs` ExecutionDispatch
// messages for `sleep seconds=<s>` at once, exactly as the orchestrator would
// (same catalog entry, envelope and properties), to 1, 2 and 3 running worker
// processes; the figure is completed runs per second, from the first dispatch
// published to the last ExecutionCompleted seen. The dispatches come from the
// bench, not from approvals through the orchestrator, so the workers' scaling is
// measured on its own (the orchestrator's rate is scenario 2's figure); their
// callbacks pile up in orchestrator.input, which is emptied afterwards.
// Efficiency of N workers: rate(N) / (N × rate(1)), paired within each repeat.
import { randomUUID } from "node:crypto";
import { CATALOG, QUEUES } from "@textops/contracts";
import { newEnvelope, publishOptions, signDispatch } from "@textops/messaging";
import type { Bus } from "../lib/bus.js";
import type { BenchContext } from "../lib/context.js";
import { nthRunId } from "../lib/mongo.js";
import { shippedCatalog } from "../lib/orchestrator-internals.js";
import { BENCH_DISPATCH_SECRET, type ServiceProcess } from "../lib/services.js";
import { round, summarize, type Summary } from "../lib/stats.js";
import { followRuns } from "../lib/system.js";

interface ScaleMeasurement {
  rate: number;
  seconds: number;
  workerWindowRate: number;
  perWorker: Record<string, number>;
}

export interface ScaleResult {
  runs: number;
  jobSeconds: number;
  dispatchedBy: "bench";
  workers: Record<
    string,
    {
      runsPerSecond: Summary;
      workerWindowRunsPerSecond: number | null;
      efficiency: Summary | null;
      efficiencyVsIdeal: number | null;
    }
  >;
}

/** Publishes one dispatch per run id, as the orchestrator's outbox relay does. */
async function dispatch(bus: Bus, runIds: string[], seconds: number): Promise<void> {
  const entry = CATALOG.ExecutionDispatch;
  const catalog = shippedCatalog();
  const sleep = catalog.jobs.get("sleep");
  if (!sleep) throw new Error("the shipped catalog has no sleep job");
  await Promise.all(
    runIds.map((runId) => {
      const unsigned = {
        runId,
        attempt: 1,
        jobKey: "sleep",
        job: sleep,
        catalogVersion: catalog.version,
        parameters: [{ name: "seconds", value: String(seconds) }],
        timeoutSeconds: 3600,
        retryOnWorkerLoss: true,
        requestedBy: "user:dev:bench" as const,
        approvedBy: ["user:dev:bench" as const],
        dispatchedAt: new Date().toISOString(),
      };
      const payload = signDispatch(unsigned, BENCH_DISPATCH_SECRET);
      const envelope = newEnvelope("ExecutionDispatch", {
        correlationId: runId,
        messageId: `${randomUUID()}:dispatch`,
      });
      return bus.publisher.publish(
        entry.exchange ?? "",
        entry.routingKey(entry.schema.parse(payload)),
        Buffer.from(JSON.stringify(payload)),
        publishOptions(envelope),
      );
    }),
  );
}

/** Run ids no other scenario uses, numbered on from one call to the next. */
let dispatched = 0;
const freshRunIds = (n: number) =>
  Array.from({ length: n }, () => nthRunId(1_000_000 + dispatched++));

/** One measurement with the workers running: a warm-up job each, then `runs` jobs at once. */
async function measureOnce(
  ctx: BenchContext,
  follow: ReturnType<typeof followRuns>,
  workers: number,
): Promise<ScaleMeasurement> {
  const { config } = ctx;
  // Warm-up: one job per worker, so each has run the path once.
  const warmIds = freshRunIds(workers);
  const warm = warmIds.map((id) => follow.completed(id, 60_000));
  await dispatch(ctx.bus, warmIds, config.scaleJobSeconds);
  await Promise.all(warm);
  const runIds = freshRunIds(config.scaleRuns);
  const completions = runIds.map((id) => follow.completed(id, 300_000));
  const starts = runIds.map((id) => follow.started(id, 300_000));
  const t0 = Date.now();
  await dispatch(ctx.bus, runIds, config.scaleJobSeconds);
  const done = await Promise.all(completions);
  const started = await Promise.all(starts);
  const failed = done.find((d) => d.payload.outcome !== "Succeeded");
  if (failed) throw new Error(`jobs failed: ${JSON.stringify(failed.payload)}`);
  const end = Math.max(...done.map((d) => d.receivedAt));
  const firstStart = Math.min(...started.map((s) => Date.parse(s.payload.startedAt)));
  const lastDone = Math.max(...done.map((d) => Date.parse(d.payload.completedAt)));
  const perWorker: Record<string, number> = {};
  for (const d of done) perWorker[d.payload.workerId] = (perWorker[d.payload.workerId] ?? 0) + 1;
  return {
    rate: config.scaleRuns / ((end - t0) / 1000),
    seconds: (end - t0) / 1000,
    workerWindowRate: config.scaleRuns / ((lastDone - firstStart) / 1000),
    perWorker,
  };
}

export async function workerScaleOut(ctx: BenchContext): Promise<ScaleResult> {
  const { config } = ctx;
  const counts = [...config.scaleWorkers].sort((a, b) => a - b);
  const byCount = new Map<number, ScaleMeasurement[]>(counts.map((n) => [n, []]));
  const workers: ServiceProcess[] = [];
  const follow = followRuns(ctx.bus);
  try {
    for (let rep = 1; rep <= config.repeats; rep += 1) {
      for (const n of counts) {
        while (workers.length < n)
          workers.push(await ctx.services.worker(`bench-s${workers.length + 1}`));
        while (workers.length > n) await workers.pop()?.stop();
        ctx.progress.update(
          `repeat ${rep}: ${n} worker(s), ${config.scaleRuns} jobs of ${config.scaleJobSeconds} s`,
        );
        const result = await measureOnce(ctx, follow, n);
        byCount.get(n)?.push(result);
        await ctx.bus.purge([QUEUES.orchestratorInput]);
        ctx.progress.note(
          `scale repeat ${rep}, ${n} worker(s): ${result.rate.toFixed(2)} runs/s (${result.seconds.toFixed(2)} s; per worker ${JSON.stringify(result.perWorker)})`,
        );
      }
    }
  } finally {
    follow.stop();
    for (const w of workers) ctx.recordMemory(w.name, "worker", `${w.name} after scale-out`, w);
    await Promise.all(workers.map((w) => w.stop()));
    await ctx.bus.purge([QUEUES.orchestratorInput, QUEUES.workerDispatch]);
  }

  const one = byCount.get(counts[0] ?? 1) ?? [];
  const out: ScaleResult = {
    runs: config.scaleRuns,
    jobSeconds: config.scaleJobSeconds,
    dispatchedBy: "bench",
    workers: {},
  };
  for (const n of counts) {
    const list = byCount.get(n) ?? [];
    out.workers[n] = {
      runsPerSecond: summarize(list.map((r) => r.rate)),
      workerWindowRunsPerSecond: round(summarize(list.map((r) => r.workerWindowRate)).median, 2),
      efficiency:
        counts[0] === 1
          ? summarize(list.map((r, i) => r.rate / (n * (one[i]?.rate ?? NaN))))
          : null,
      efficiencyVsIdeal: round(
        summarize(list.map((r) => r.rate / (n / config.scaleJobSeconds))).median,
        3,
      ),
    };
  }
  return out;
}
