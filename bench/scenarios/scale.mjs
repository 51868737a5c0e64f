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
import { newEnvelope, publishOptions } from "@textops/messaging";
import { nthRunId } from "../lib/mongo.mjs";
import { followRuns } from "../lib/system.mjs";
import { round, summarize } from "../lib/stats.mjs";

let dispatched = 0;

/** Publishes one dispatch per run id, as the orchestrator's outbox relay does. */
async function dispatch(bus, runIds, seconds) {
  const entry = CATALOG.ExecutionDispatch;
  await Promise.all(
    runIds.map((runId) => {
      const payload = {
        runId,
        attempt: 1,
        jobKey: "sleep",
        parameters: [{ name: "seconds", value: String(seconds) }],
        timeoutSeconds: 3600,
        retryOnWorkerLoss: true,
        dispatchedAt: new Date().toISOString(),
      };
      const envelope = newEnvelope("ExecutionDispatch", {
        correlationId: runId,
        messageId: `${randomUUID()}:dispatch`,
      });
      return bus.publisher.publish(
        entry.exchange,
        entry.routingKey(entry.schema.parse(payload)),
        Buffer.from(JSON.stringify(payload)),
        publishOptions(envelope),
      );
    }),
  );
}

/** @param {any} ctx */
export async function workerScaleOut(ctx) {
  const { config } = ctx;
  const counts = [...config.scaleWorkers].sort((a, b) => a - b);
  /** @type {Record<number, any[]>} */
  const byCount = Object.fromEntries(counts.map((n) => [n, []]));
  const workers = [];
  const follow = followRuns(ctx.bus);
  try {
    for (let rep = 1; rep <= config.repeats; rep += 1) {
      for (const n of counts) {
        while (workers.length < n)
          workers.push(await ctx.services.worker(`bench-s${workers.length + 1}`));
        while (workers.length > n) await workers.pop().stop();
        ctx.progress.update(
          `repeat ${rep}: ${n} worker(s), ${config.scaleRuns} jobs of ${config.scaleJobSeconds} s`,
        );
        // Warm-up: one job per worker, so each has run the path once.
        const warmIds = Array.from({ length: n }, () => nthRunId(1_000_000 + dispatched++));
        const warm = warmIds.map((id) => follow.completed(id, 60_000));
        await dispatch(ctx.bus, warmIds, config.scaleJobSeconds);
        await Promise.all(warm);
        const runIds = Array.from({ length: config.scaleRuns }, () =>
          nthRunId(1_000_000 + dispatched++),
        );
        const completions = runIds.map((id) => follow.completed(id, 300_000));
        const starts = runIds.map((id) => follow.started(id, 300_000));
        const t0 = Date.now();
        await dispatch(ctx.bus, runIds, config.scaleJobSeconds);
        const done = await Promise.all(completions);
        const started = await Promise.all(starts);
        const failed = done.filter((d) => d.payload.outcome !== "Succeeded");
        if (failed.length > 0) throw new Error(`jobs failed: ${JSON.stringify(failed[0].payload)}`);
        const end = Math.max(...done.map((d) => d.receivedAt));
        const firstStart = Math.min(...started.map((s) => Date.parse(s.payload.startedAt)));
        const lastDone = Math.max(...done.map((d) => Date.parse(d.payload.completedAt)));
        const result = {
          rate: config.scaleRuns / ((end - t0) / 1000),
          seconds: (end - t0) / 1000,
          workerWindowRate: config.scaleRuns / ((lastDone - firstStart) / 1000),
          perWorker: Object.fromEntries(
            Object.entries(
              done.reduce(
                (acc, d) => ({ ...acc, [d.payload.workerId]: (acc[d.payload.workerId] ?? 0) + 1 }),
                {},
              ),
            ),
          ),
        };
        byCount[n].push(result);
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

  const one = byCount[counts[0]];
  const out = {
    runs: config.scaleRuns,
    jobSeconds: config.scaleJobSeconds,
    dispatchedBy: "bench",
    workers: {},
  };
  for (const n of counts) {
    const list = byCount[n];
    out.workers[n] = {
      runsPerSecond: summarize(list.map((r) => r.rate)),
      workerWindowRunsPerSecond: round(summarize(list.map((r) => r.workerWindowRate)).median, 2),
      efficiency:
        counts[0] === 1 ? summarize(list.map((r, i) => r.rate / (n * one[i].rate))) : null,
      efficiencyVsIdeal: round(
        summarize(list.map((r) => r.rate / (n / config.scaleJobSeconds))).median,
        3,
      ),
    };
  }
  return out;
}
