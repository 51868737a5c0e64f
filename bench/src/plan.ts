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

/** Each scenario's module is loaded only when it runs. */
export function scenarioPlan(config: BenchConfig): PlannedScenario[] {
  const want = (s: BenchConfig["scenarios"][number]) => config.scenarios.includes(s);
  const plan: (PlannedScenario | false)[] = [
    (want("baselines") || want("orchestrator")) && {
      key: "ceiling",
      title: "baselines and orchestrator throughput",
      run: async (ctx) =>
        (await import("./scenarios/ceiling.js")).ceilingAndOrchestrator(ctx, {
          baselines: want("baselines"),
          orchestrator: want("orchestrator"),
        }),
    },
    want("ingress") && {
      key: "ingress",
      title: "ingress latency at fixed rates",
      run: async (ctx) => (await import("./scenarios/ingress.js")).ingressLatency(ctx),
    },
    want("approval") && {
      key: "approval",
      title: "approval to start",
      run: async (ctx) => (await import("./scenarios/approval.js")).approvalToStart(ctx),
    },
    want("scale") && {
      key: "scale",
      title: "worker scale-out",
      run: async (ctx) => (await import("./scenarios/scale.js")).workerScaleOut(ctx),
    },
    want("growth") && {
      key: "growth",
      title: "growth of stored runs",
      run: async (ctx) => (await import("./scenarios/growth.js")).growth(ctx),
    },
  ];
  return plan.filter((s) => s !== false);
}
