// Settings of one `npm run bench`, read once from the environment.
// Every knob is optional; BENCH_QUICK=1 shrinks everything to a ~2-minute smoke run.

export const SCENARIOS = [
  "baselines",
  "orchestrator",
  "ingress",
  "approval",
  "scale",
  "growth",
] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

const isScenario = (s: string): s is ScenarioName => (SCENARIOS as readonly string[]).includes(s);

export type BenchConfig = ReturnType<typeof loadBenchConfig>;

export function loadBenchConfig(env: Record<string, string | undefined>) {
  const quick = env.BENCH_QUICK === "1";
  const number = (name: string, fallback: number, min = 0): number => {
    const raw = env[name];
    if (raw === undefined || raw === "") return fallback;
    const value = Number(raw);
    if (!Number.isFinite(value) || value < min) {
      throw new Error(`${name}: expected a number ≥ ${min}, got ${JSON.stringify(raw)}`);
    }
    return value;
  };
  const list = (name: string, fallback: string[]): string[] => {
    const raw = env[name];
    return raw
      ? raw
          .split(",")
          .map((s) => s.trim())
          .filter(Boolean)
      : fallback;
  };
  const scenarios = list("BENCH_SCENARIOS", [...SCENARIOS]).map((s) => {
    if (!isScenario(s)) throw new Error(`BENCH_SCENARIOS: unknown scenario ${s}`);
    return s;
  });
  const rates = list("BENCH_INGRESS_RATES", ["50", "200", "500"]).map(Number);
  if (rates.some((r) => !Number.isInteger(r) || r < 1)) {
    throw new Error("BENCH_INGRESS_RATES: expected a comma-separated list of whole numbers");
  }

  return {
    quick,
    scenarios,
    /** Repeats of each measured figure; the median is reported, with min and max. */
    repeats: number("BENCH_REPEATS", quick ? 1 : 3, 1),
    /** Baselines: warm-up, then one measuring window per repeat (seconds). */
    baselineWarmupSeconds: number("BENCH_BASELINE_WARMUP", quick ? 1 : 1.5),
    baselineWindowSeconds: number("BENCH_BASELINE_WINDOW", quick ? 2 : 3, 0.5),
    /** Orchestrator throughput: run commands (each followed by its approval) per repeat. */
    orchestratorRuns: number("BENCH_ORCH_RUNS", quick ? 40 : 80, 10),
    orchestratorWarmupRuns: number("BENCH_ORCH_WARMUP_RUNS", 10),
    /** Ingress latency: offered rates (requests/s), seconds of warm-up, and of each measuring window (one per repeat). */
    ingressRates: rates,
    ingressWarmupSeconds: number("BENCH_INGRESS_WARMUP", quick ? 1 : 2),
    ingressSeconds: number("BENCH_INGRESS_SECONDS", 3, 1),
    /** Extra rates tried to find the highest one held with p99 < 100 ms. */
    ingressSearchSteps: number("BENCH_INGRESS_SEARCH_STEPS", quick ? 1 : 3),
    /** Approval to start: measured approvals, one at a time. */
    approvalSamples: number("BENCH_APPROVAL_SAMPLES", quick ? 10 : 40, 2),
    /** Worker scale-out: runs of `sleep seconds=<jobSeconds>` per measurement. */
    scaleRuns: number("BENCH_SCALE_RUNS", quick ? 30 : 60, 3),
    scaleWorkers: list("BENCH_SCALE_WORKERS", ["1", "2", "3"]).map(Number),
    scaleJobSeconds: number("BENCH_SCALE_JOB_SECONDS", 0.2, 0.01),
    /** Growth: runs stored before the last measurement, and the time it may take in all. */
    growthRuns: number("BENCH_GROWTH_RUNS", quick ? 3000 : 100_000, 1000),
    growthSmallRuns: number("BENCH_GROWTH_SMALL_RUNS", 1000, 0),
    growthBudgetSeconds: number("BENCH_GROWTH_BUDGET", quick ? 40 : 240, 10),
    growthSamples: number("BENCH_GROWTH_SAMPLES", quick ? 4 : 8, 2),
    /** The whole run is stopped (and cleaned up) after this long. */
    hardLimitSeconds: number("BENCH_HARD_LIMIT_SECONDS", 900, 10),
    /** Write V8 CPU profiles of the service processes into this directory. */
    cpuProfileDir: env.BENCH_CPU_PROF || null,
    amqpBase: env.BENCH_AMQP_URL ?? "amqp://guest:guest@127.0.0.1:5672",
    rabbitApi: env.BENCH_RABBIT_API ?? "http://guest:guest@127.0.0.1:15672/api",
    mongoUrl: env.BENCH_MONGO_URL ?? "mongodb://127.0.0.1:27017/?retryWrites=false",
    /** Skip `tsc -b` (when the services were just built). */
    skipBuild: env.BENCH_SKIP_BUILD === "1",
  };
}
