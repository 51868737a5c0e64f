// Scenarios 1 and 2 interleaved: each repeat measures every baseline and then the
// orchestrator, so a ratio is taken between figures of the same minute on this machine.
import type { BenchContext } from "../lib/context.js";
import { round, summarize, type Summary } from "../lib/stats.js";
import {
  BASELINE_NAMES,
  measureBaseline,
  type BaselineMeasurement,
  type BaselineName,
} from "./baselines.js";
import { measureOrchestrator, type OrchestratorMeasurement } from "./orchestrator.js";

export type BaselinesResult = Record<
  BaselineName,
  { messagesPerSecond: Summary; consumerCpuMsPerMessage: number | null }
> & { ceilingB: { messagesPerSecond: Summary; faster: "single" | "batch" } };

export interface OrchestratorResult {
  runsPerRepeat: number;
  messagesPerSecond: Summary;
  cpuMsPerMessage: Record<string, number | null>;
  ratioToBaselineB: Summary | null;
}

export interface CeilingResult {
  baselines?: BaselinesResult;
  orchestrator?: OrchestratorResult;
}

type Measured = Record<BaselineName, BaselineMeasurement[]>;

const rates = (list: { rate: number }[]) => summarize(list.map((r) => r.rate));
const lastRate = (list: { rate: number }[]) => list.at(-1)?.rate ?? NaN;

export async function ceilingAndOrchestrator(
  ctx: BenchContext,
  which: { baselines: boolean; orchestrator: boolean },
): Promise<CeilingResult> {
  const { config } = ctx;
  const baseline: Measured = { raw: [], serial: [], single: [], batch: [] };
  const orchestrator: OrchestratorMeasurement[] = [];
  const ratios: number[] = [];
  for (let rep = 1; rep <= config.repeats; rep += 1) {
    if (which.baselines) {
      for (const name of BASELINE_NAMES) {
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
        ratios.push(result.rate / Math.max(lastRate(baseline.single), lastRate(baseline.batch)));
      }
    }
    ctx.progress.note(`repeat ${rep}: ${repeatSummary(baseline, orchestrator)}`);
  }

  const out: CeilingResult = {};
  if (which.baselines) out.baselines = baselinesResult(baseline);
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

/** `raw 3125/s, serial 119/s, …, orchestrator 114/s`: the repeat just measured. */
function repeatSummary(baseline: Measured, orchestrator: OrchestratorMeasurement[]): string {
  return [
    ...BASELINE_NAMES.map((k) =>
      baseline[k].length ? `${k} ${Math.round(lastRate(baseline[k]))}/s` : null,
    ),
    orchestrator.length ? `orchestrator ${Math.round(lastRate(orchestrator))}/s` : null,
  ]
    .filter(Boolean)
    .join(", ");
}

function baselinesResult(baseline: Measured): BaselinesResult {
  const figure = (list: BaselineMeasurement[]) => ({
    messagesPerSecond: rates(list),
    consumerCpuMsPerMessage: round(
      summarize(list.map((r) => r.consumerCpuMsPerMessage ?? NaN)).median,
      3,
    ),
  });
  const ceilings = baseline.single.map((s, i) => Math.max(s.rate, baseline.batch[i]?.rate ?? NaN));
  const single = rates(baseline.single).median ?? NaN;
  const batch = rates(baseline.batch).median ?? NaN;
  return {
    raw: figure(baseline.raw),
    serial: figure(baseline.serial),
    single: figure(baseline.single),
    batch: figure(baseline.batch),
    ceilingB: {
      messagesPerSecond: summarize(ceilings),
      faster: single >= batch ? "single" : "batch",
    },
  };
}

function medianOfEach(records: Record<string, number>[]): Record<string, number | null> {
  const keys = Object.keys(records[0] ?? {});
  return Object.fromEntries(
    keys.map((k) => [k, round(summarize(records.map((r) => r[k] ?? NaN)).median, 2)]),
  );
}
