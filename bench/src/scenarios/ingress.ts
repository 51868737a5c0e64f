// Scenario 3: ingress latency. `POST /dev/inbound` with `run demo` (a fresh
// providerMessageId each, 100 conversations), answered with the orchestrator's
// reply, at fixed offered rates (open-loop); then the highest rate held with
// p99 < 100 ms. Each rate runs on a fresh database with its own orchestrator
// and ingress, so one rate's history does not slow the next.
import { QUEUES } from "@textops/contracts";
import { waitForOrchestrator } from "../lib/bus.js";
import type { BenchContext } from "../lib/context.js";
import { offerLoad, type LoadWindow } from "../lib/load.js";
import { cpuSnapshot, cpuSpent } from "../lib/proc.js";
import { pidsOf, type ServiceProcess } from "../lib/services.js";
import {
  latencySummary,
  round,
  summarize,
  type LatencySummary,
  type Summary,
} from "../lib/stats.js";
import { freePort } from "../lib/system.js";

/** No providerMessageId: ingress makes a fresh one per request. One conversation per phase. */
const body = (phase: number) =>
  JSON.stringify({ from: `load${phase}`, conversation: `load${phase}`, body: "run demo" });
const HELD_P99_MS = 100;

export interface RateResult {
  offered: number;
  achieved: number;
  requests: number;
  statuses: Record<string, number>;
  errors: number;
  connectionErrors: number;
  p50: Summary;
  p95: Summary;
  p99: Summary;
  pooled: LatencySummary;
  held: boolean;
  cpuMsPerRequest?: Record<string, number> | null;
}

export interface IngressResult {
  heldCriterion: string;
  rates: RateResult[];
  search: { offered: number; achieved: number; p99: number | null; held: boolean }[];
  highestHeldRate: number | null;
  highestFailedRate: number | null;
}

/** One offered rate on a fresh system. */
export async function measureRate(
  ctx: BenchContext,
  rate: number,
  windows: number,
  label: string,
): Promise<RateResult> {
  const { config } = ctx;
  const db = ctx.dbName(`ing${label}`);
  const orchestrator = ctx.services.orchestrator(db);
  let ingress: ServiceProcess | undefined;
  try {
    await waitForOrchestrator(ctx.bus);
    const port = await freePort();
    ingress = await ctx.services.ingress(db, port);
    const groups = {
      ingress: pidsOf(ingress),
      orchestrator: pidsOf(orchestrator),
      ...ctx.serverPids,
    };
    const cpu0 = cpuSnapshot(groups);
    const measured = await offerLoad({
      url: `http://127.0.0.1:${port}/dev/inbound`,
      body,
      rate,
      warmupSeconds: config.ingressWarmupSeconds,
      windowSeconds: config.ingressSeconds,
      windows,
      onTick: (s) => ctx.progress.update(s),
    });
    if (rate === Math.max(...config.ingressRates)) {
      ctx.recordMemory("ingress-load", "ingress", `after ${rate} req/s`, ingress);
      ctx.recordMemory("orchestrator-load", "orchestrator", `after ${rate} req/s`, orchestrator);
    }
    const cpu = cpuSpent(cpu0, cpuSnapshot(groups));
    return {
      ...summarizeRate(rate, measured.windows),
      cpuMsPerRequest: perRequest(cpu, measured.answered),
    };
  } finally {
    // A backlog left by an overload is dropped rather than worked off.
    await ctx.bus.purge([QUEUES.orchestratorInput]);
    await Promise.all([ingress?.stop(), orchestrator.stop()]);
    await ctx.bus.purge([QUEUES.orchestratorInput, QUEUES.outbound("dev")]);
  }
}

/** CPU ms per answered request over the whole run of a rate (warm-up and drain included). */
function perRequest(cpu: Record<string, number>, requests: number) {
  if (requests === 0) return null;
  return Object.fromEntries(Object.entries(cpu).map(([k, ms]) => [k, round(ms / requests, 2)]));
}

const total = (windows: LoadWindow[], field: "sent" | "seconds" | "errors") =>
  windows.reduce((n, w) => n + w[field], 0);

function summarizeRate(rate: number, windows: LoadWindow[]): Omit<RateResult, "cpuMsPerRequest"> {
  const all = windows.flatMap((w) => w.latencies);
  const sent = total(windows, "sent");
  const statuses: Record<string, number> = {};
  for (const w of windows)
    for (const [code, n] of Object.entries(w.statuses)) statuses[code] = (statuses[code] ?? 0) + n;
  const ok = statuses[200] ?? 0;
  // Latencies are of every answer; anything but a 200 with the reply (a 202 when the
  // reply did not come in time, a 503, a connection error) also counts as an error.
  const notAnswered = sent - ok;
  const perWindow = windows.map((w) => latencySummary(w.latencies));
  const achieved = sent / total(windows, "seconds");
  const p99 = summarize(perWindow.map((w) => w.p99 ?? NaN));
  return {
    offered: rate,
    achieved: round(achieved, 1),
    requests: sent,
    statuses,
    errors: notAnswered,
    connectionErrors: total(windows, "errors"),
    p50: summarize(perWindow.map((w) => w.p50 ?? NaN)),
    p95: summarize(perWindow.map((w) => w.p95 ?? NaN)),
    p99,
    pooled: latencySummary(all),
    held: achieved >= 0.95 * rate && notAnswered === 0 && (p99.median ?? Infinity) < HELD_P99_MS,
  };
}

export async function ingressLatency(ctx: BenchContext): Promise<IngressResult> {
  const { config } = ctx;
  const rates: RateResult[] = [];
  for (const rate of [...config.ingressRates].sort((a, b) => a - b)) {
    ctx.progress.update(`${rate} req/s`);
    const result = await measureRate(ctx, rate, config.repeats, `${rate}`);
    rates.push(result);
    ctx.progress.note(
      `ingress ${rate} req/s: p50 ${result.p50.median} ms, p99 ${result.p99.median} ms, achieved ${result.achieved}/s, statuses ${JSON.stringify(result.statuses)}`,
    );
  }
  // The highest rate held: bisect between the best held and the lowest failed rate.
  let low = Math.max(0, ...rates.filter((r) => r.held).map((r) => r.offered));
  let high = Math.min(
    Infinity,
    ...rates.filter((r) => !r.held && r.offered > low).map((r) => r.offered),
  );
  const search: RateResult[] = [];
  for (let step = 0; step < config.ingressSearchSteps && Number.isFinite(high); step += 1) {
    const rate = Math.round((low + high) / 2);
    if (rate <= low || rate >= high || high - low < Math.max(5, low * 0.1)) break;
    ctx.progress.update(`searching: ${rate} req/s`);
    const result = await measureRate(ctx, rate, 1, `s${rate}`);
    search.push(result);
    ctx.progress.note(`ingress ${rate} req/s: p99 ${result.p99.median} ms, held ${result.held}`);
    if (result.held) low = rate;
    else high = rate;
  }
  return {
    heldCriterion: `achieved ≥ 95% of offered, every request answered 200 with the reply, p99 < ${HELD_P99_MS} ms`,
    rates,
    search: search.map((r) => ({
      offered: r.offered,
      achieved: r.achieved,
      p99: r.p99.median,
      held: r.held,
    })),
    highestHeldRate: low > 0 ? low : null,
    highestFailedRate: Number.isFinite(high) ? high : null,
  };
}
