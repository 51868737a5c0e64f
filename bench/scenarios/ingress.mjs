// Scenario 3: ingress latency. `POST /dev/inbound` with `run demo` (a fresh
// providerMessageId each, 100 conversations), answered with the orchestrator's
// reply, at fixed offered rates (open-loop); then the highest rate held with
// p99 < 100 ms. Each rate runs on a fresh database with its own orchestrator
// and ingress, so one rate's history does not slow the next.
import { QUEUES } from "@textops/contracts";
import { offerLoad } from "../lib/load.mjs";
import { waitForOrchestrator } from "../lib/rabbit.mjs";
import { cpuSnapshot, cpuSpent } from "../lib/services.mjs";
import { freePort } from "../lib/system.mjs";
import { latencySummary, round, summarize } from "../lib/stats.mjs";

/** No providerMessageId: ingress makes a fresh one per request. One conversation per phase. */
const body = (phase) =>
  JSON.stringify({ from: `load${phase}`, conversation: `load${phase}`, body: "run demo" });
const HELD_P99_MS = 100;

/** One offered rate on a fresh system. @param {any} ctx */
export async function measureRate(ctx, rate, windows, label) {
  const { config } = ctx;
  const db = ctx.dbName(`ing${label}`);
  const orchestrator = ctx.services.orchestrator(db);
  let ingress;
  try {
    await waitForOrchestrator(ctx.bus);
    const port = await freePort();
    ingress = await ctx.services.ingress(db, port);
    const groups = { ingress: [ingress.pid], orchestrator: [orchestrator.pid], ...ctx.serverPids };
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
function perRequest(cpu, requests) {
  if (requests === 0) return null;
  return Object.fromEntries(Object.entries(cpu).map(([k, ms]) => [k, round(ms / requests, 2)]));
}

/** @param {Awaited<ReturnType<typeof offerLoad>>["windows"]} windows */
function summarizeRate(rate, windows) {
  const all = windows.flatMap((w) => w.latencies);
  const sent = windows.reduce((n, w) => n + w.sent, 0);
  const seconds = windows.reduce((n, w) => n + w.seconds, 0);
  const statuses = {};
  for (const w of windows)
    for (const [code, n] of Object.entries(w.statuses)) statuses[code] = (statuses[code] ?? 0) + n;
  const errors = windows.reduce((n, w) => n + w.errors, 0);
  const ok = statuses[200] ?? 0;
  // Latencies are of every answer; anything but a 200 with the reply (a 202 when the
  // reply did not come in time, a 503, a connection error) also counts as an error.
  const notAnswered = sent - ok;
  const perWindow = windows.map((w) => latencySummary(w.latencies));
  const pooled = latencySummary(all);
  const achieved = sent / seconds;
  const p99 = summarize(perWindow.map((w) => w.p99 ?? NaN));
  return {
    offered: rate,
    achieved: round(achieved, 1),
    requests: sent,
    statuses,
    errors: notAnswered,
    connectionErrors: errors,
    p50: summarize(perWindow.map((w) => w.p50 ?? NaN)),
    p95: summarize(perWindow.map((w) => w.p95 ?? NaN)),
    p99,
    pooled,
    held: achieved >= 0.95 * rate && notAnswered === 0 && (p99.median ?? Infinity) < HELD_P99_MS,
  };
}

/** @param {any} ctx */
export async function ingressLatency(ctx) {
  const { config } = ctx;
  const rates = [];
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
  const search = [];
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
