// The scenarios one `npm run bench` runs, in order, as chosen by BENCH_SCENARIOS.
import type { BenchConfig } from "./lib/config.js";
import type { BenchContext } from "./lib/context.js";
import type { ScenarioResults } from "./report/results.js";

type Key = keyof ScenarioResults;

export interface PlannedScenario<K extends Key = Key> {
  key: K;
  title: string;
  run(ctx: BenchContext): Promise<NonNullable<ScenarioResults[K]>>;
}

const TITLES: Record<Key, string> = {
  ceiling: "baselines and orchestrator throughput",
  ingress: "ingress latency at fixed rates",
  approval: "approval to start",
  scale: "worker scale-out",
  growth: "growth of stored runs",
};

/** Each scenario's module is loaded only when it runs (the ceiling's run is made by the plan). */
const RUNS: { [K in Exclude<Key, "ceiling">]: PlannedScenario<K>["run"] } = {
  ingress: async (ctx) => (await import("./scenarios/ingress.js")).ingressLatency(ctx),
  approval: async (ctx) => (await import("./scenarios/approval.js")).approvalToStart(ctx),
  scale: async (ctx) => (await import("./scenarios/scale.js")).workerScaleOut(ctx),
  growth: async (ctx) => (await import("./scenarios/growth.js")).growth(ctx),
};

/** The scenarios BENCH_SCENARIOS asks for, in the order they run. */
export function scenarioPlan(config: BenchConfig): PlannedScenario[] {
  const want = (s: BenchConfig["scenarios"][number]) => config.scenarios.includes(s);
  const which = { baselines: want("baselines"), orchestrator: want("orchestrator") };
  const ceiling: PlannedScenario<"ceiling"> = {
    key: "ceiling",
    title: TITLES.ceiling,
    run: async (ctx) => (await import("./scenarios/ceiling.js")).ceilingAndOrchestrator(ctx, which),
  };
  const others = (["ingress", "approval", "scale", "growth"] as const)
    .filter((key) => want(key))
    .map((key) => ({ key, title: TITLES[key], run: RUNS[key] }));
  return [
    ...(which.baselines || which.orchestrator ? [ceiling as PlannedScenario] : []),
    ...others,
  ];
}
