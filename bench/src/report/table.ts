// The table on stdout: one row per figure, [scenario, figure, median, min – max, target, verdict].
import type { Summary } from "../lib/stats.js";
import type { BenchResults, ScenarioResults } from "./results.js";
import { TARGETS, verdict, type Target } from "./targets.js";

export type Row = [string, string, string, string, string, string];

const fmt = (v: number | string | null | undefined, digits = 1): string => {
  if (v === null || v === undefined || Number.isNaN(v)) return "n/a";
  if (typeof v !== "number") return v;
  if (Math.abs(v) >= 1000) return Math.round(v).toString();
  if (v !== 0 && Math.abs(v) < 0.1) return v.toPrecision(3);
  return v.toFixed(digits);
};
const range = (s: Summary | null | undefined, digits = 1) =>
  s && s.n > 1 ? `${fmt(s.min, digits)} – ${fmt(s.max, digits)}` : "";
const row = (
  label: string,
  figure: string,
  median: string,
  notes = "",
  target = "",
  ok = "",
): Row => [label, figure, median, notes, target, ok];

/** A row of a figure with a target: its value, and whether the target was met. */
const judged = (
  label: string,
  figure: string,
  value: number | null,
  digits: number,
  notes: string,
  target: Target,
): Row => row(label, figure, fmt(value, digits), notes, target.text, verdict(value, target));

const BASELINE_LABELS = {
  raw: "1a broker only (confirm + ack)",
  serial: "1b pipeline, 1 in hand",
  single: "1b pipeline, 32 in hand",
  batch: "1b pipeline, batches ≤ 100",
} as const;

function ceilingRows(c: ScenarioResults["ceiling"]): Row[] {
  const rows: Row[] = [];
  const b = c?.baselines;
  if (b) {
    for (const [k, label] of Object.entries(BASELINE_LABELS) as [
      keyof typeof BASELINE_LABELS,
      string,
    ][]) {
      const rate = b[k].messagesPerSecond;
      rows.push(row(label, "msg/s", fmt(rate.median, 0), range(rate, 0)));
    }
    const ceiling = b.ceilingB.messagesPerSecond;
    rows.push(
      row(
        "1b ceiling (faster of the two)",
        `msg/s (${b.ceilingB.faster})`,
        fmt(ceiling.median, 0),
        range(ceiling, 0),
      ),
    );
  }
  const o = c?.orchestrator;
  if (o) {
    rows.push(
      row(
        "2 orchestrator (run + yes)",
        "msg/s",
        fmt(o.messagesPerSecond.median),
        range(o.messagesPerSecond),
      ),
    );
    const ratio = o.ratioToBaselineB;
    if (ratio) {
      const label = "2 orchestrator / baseline (b)";
      rows.push(
        judged(label, "ratio", ratio.median, 3, range(ratio, 3), TARGETS.orchestratorToBaseline),
      );
    }
    for (const [process, ms] of Object.entries(o.cpuMsPerMessage)) {
      rows.push(row(`  CPU per message: ${process}`, "ms", fmt(ms, 2)));
    }
  }
  return rows;
}

function ingressRows(ing: ScenarioResults["ingress"]): Row[] {
  if (!ing) return [];
  const rows: Row[] = [];
  for (const rate of ing.rates) {
    const codes = Object.entries(rate.statuses)
      .map(([c, n]) => `${c}×${n}`)
      .join(" ");
    const at200 = rate.offered === 200;
    rows.push(
      row(
        `3 ingress @ ${rate.offered} req/s`,
        "p50/p95/p99 ms",
        `${fmt(rate.p50.median)}/${fmt(rate.p95.median)}/${fmt(rate.p99.median)}`,
        rate.p99.n > 1 ? `p99 ${range(rate.p99)}` : "",
        at200 ? TARGETS.ingressP99At200.text : "",
        at200 ? verdict(rate.p99.median, TARGETS.ingressP99At200) : "",
      ),
    );
    const lost = rate.connectionErrors ? `, ${rate.connectionErrors} connection errors` : "";
    rows.push(
      row(
        `  achieved ${fmt(rate.achieved)} req/s`,
        "HTTP answers",
        `${codes || "none"}${lost}`,
        "",
        "",
        rate.held ? "held" : "not held",
      ),
    );
    const c = rate.cpuMsPerRequest;
    if (at200 && c) {
      const cpu = `ingress ${fmt(c.ingress, 2)}, orchestrator ${fmt(c.orchestrator, 2)}, database ${fmt(c.database, 1)}`;
      rows.push(row("  CPU per request", "ms", cpu));
    }
  }
  rows.push(
    row(
      "3 highest rate held (p99 < 100 ms)",
      "req/s",
      ing.highestHeldRate === null ? `< ${ing.highestFailedRate}` : fmt(ing.highestHeldRate, 0),
      ing.highestFailedRate ? `fails at ${ing.highestFailedRate}` : "",
    ),
  );
  return rows;
}

function approvalRows(a: ScenarioResults["approval"]): Row[] {
  if (!a) return [];
  const ms = a.fromYesSentToStartedMs;
  const target = TARGETS.approvalP50;
  return [
    row(
      "4 yes sent → ExecutionStarted",
      "p50/p99 ms",
      `${fmt(ms.p50)}/${fmt(ms.p99)}`,
      `n=${a.samples}`,
      target.text,
      verdict(ms.p50, target),
    ),
  ];
}

function scaleRows(s: ScenarioResults["scale"]): Row[] {
  if (!s) return [];
  const rows: Row[] = [];
  for (const [n, w] of Object.entries(s.workers)) {
    const label = `5 ${s.runs} × ${s.jobSeconds} s jobs, ${n} worker(s)`;
    rows.push(row(label, "runs/s", fmt(w.runsPerSecond.median, 2), range(w.runsPerSecond, 2)));
    if (w.efficiency && Number(n) > 1) {
      const target = Number(n) === 3 ? TARGETS.scale3 : null;
      rows.push(
        row(
          `  efficiency vs ${n} × 1 worker`,
          `(vs ${n}/${s.jobSeconds} s: ${fmt(w.efficiencyVsIdeal, 2)})`,
          fmt(w.efficiency.median, 3),
          range(w.efficiency, 3),
          target?.text ?? "",
          target ? verdict(w.efficiency.median, target) : "",
        ),
      );
    }
  }
  return rows;
}

function growthRows(g: ScenarioResults["growth"]): Row[] {
  if (!g) return [];
  const rows: Row[] = [];
  for (const size of g.sizes) {
    const timedOut = size.timedOut ? ", timed out" : "";
    const notes = `run ${fmt(size.runMs.p50, 0)}, yes ${fmt(size.yesMs.p50, 0)} ms; n=${size.samples}${timedOut}; seeded in ${fmt(size.seedSeconds)} s`;
    rows.push(row(`6 ${size.storedRuns} runs stored`, "ms/message", fmt(size.costMs), notes));
  }
  for (const size of g.skippedSizes) {
    rows.push(row(`6 ${size} runs stored`, "ms/message", "not measured", "no time left"));
  }
  const label = "6 cost, largest / smallest";
  rows.push(judged(label, "ratio", g.costRatio, 2, "", TARGETS.growthRatio));
  return rows;
}

/** The rows of the table, scenario by scenario, then the memory of the services. */
export function tableRows(r: BenchResults): Row[] {
  return [
    ...ceilingRows(r.ceiling),
    ...ingressRows(r.ingress),
    ...approvalRows(r.approval),
    ...scaleRows(r.scale),
    ...growthRows(r.growth),
    ...r.memory.map((m) =>
      row(`memory: ${m.service}`, m.when, `${fmt(m.rss)} MB RSS`, `peak ${fmt(m.peak)} MB`),
    ),
  ];
}

/** Prints rows as aligned columns. */
export function formatTable(rows: Row[]): string {
  const header: Row = ["scenario", "figure", "median", "min – max / notes", "target", ""];
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((cells) => (cells[i] ?? "").length)));
  const line = (cells: Row) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join("  ")
      .trimEnd();
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}
