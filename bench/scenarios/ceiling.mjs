// Scenarios 1 and 2 interleaved: each repeat measures every baseline and then the
// orchestrator, so a ratio is taken between figures of the same minute on this machine.
import { round, summarize } from "../lib/stats.mjs";
import { BASELINE_VARIANTS, measureBaseline } from "./baselines.mjs";
import { measureOrchestrator } from "./orchestrator.mjs";

/** @param {any} ctx @param {{ baselines: boolean, orchestrator: boolean }} which */
export async function ceilingAndOrchestrator(ctx, which) {
  const { config } = ctx;
  /** @type {Record<string, any[]>} */
  const baseline = Object.fromEntries(Object.keys(BASELINE_VARIANTS).map((k) => [k, []]));
  const orchestrator = [];
  const ratios = [];
  for (let rep = 1; rep <= config.repeats; rep += 1) {
    if (which.baselines) {
      for (const name of Object.keys(BASELINE_VARIANTS)) {
        ctx.progress.update(`repeat ${rep}/${config.repeats}: baseline ${name}`);
        baseline[name].push(
          await measureBaseline(ctx, name, {
            warmupSeconds: config.baselineWarmupSeconds,
            windowSeconds: config.baselineWindowSeconds,
            collection: `baseline_${name}_${rep}`,
          }),
        );
      }
    }
    if (which.orchestrator) {
      ctx.progress.update(`repeat ${rep}/${config.repeats}: orchestrator`);
      const result = await measureOrchestrator(ctx, rep, {
        runs: config.orchestratorRuns,
        warmupRuns: config.orchestratorWarmupRuns,
      });
      orchestrator.push(result);
      if (which.baselines) {
        const ceiling = Math.max(baseline.single.at(-1).rate, baseline.batch.at(-1).rate);
        ratios.push(result.rate / ceiling);
      }
    }
    ctx.progress.note(
      `repeat ${rep}: ` +
        [
          ...Object.entries(baseline).map(([k, v]) =>
            v.length ? `${k} ${Math.round(v.at(-1).rate)}/s` : null,
          ),
          orchestrator.length ? `orchestrator ${Math.round(orchestrator.at(-1).rate)}/s` : null,
        ]
          .filter(Boolean)
          .join(", "),
    );
  }

  const rates = (list) => summarize(list.map((r) => r.rate));
  const out = {};
  if (which.baselines) {
    out.baselines = Object.fromEntries(
      Object.entries(baseline).map(([name, list]) => [
        name,
        {
          messagesPerSecond: rates(list),
          consumerCpuMsPerMessage: round(
            summarize(list.map((r) => r.consumerCpuMsPerMessage ?? NaN)).median,
            3,
          ),
        },
      ]),
    );
    const ceilings = baseline.single.map((s, i) => Math.max(s.rate, baseline.batch[i].rate));
    out.baselines.ceilingB = {
      messagesPerSecond: summarize(ceilings),
      faster:
        summarize(baseline.single.map((s) => s.rate)).median >=
        summarize(baseline.batch.map((b) => b.rate)).median
          ? "single"
          : "batch",
    };
  }
  if (which.orchestrator) {
    out.orchestrator = {
      runsPerRepeat: config.orchestratorRuns,
      messagesPerSecond: rates(orchestrator),
      cpuMsPerMessage: medianOfEach(orchestrator.map((r) => r.cpuMsPerMessage)),
      ratioToBaselineB: which.baselines ? summarize(ratios) : null,
    };
  }
  return out;
}

/** @param {Record<string, number>[]} records */
function medianOfEach(records) {
  const keys = Object.keys(records[0] ?? {});
  return Object.fromEntries(
    keys.map((k) => [k, round(summarize(records.map((r) => r[k])).median, 2)]),
  );
}
