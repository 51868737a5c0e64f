// The bench's outputs: the table on stdout, its last line, and the JSON file.
import { mkdirSync, existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import * as prettier from "prettier";

export const TARGETS = {
  orchestratorToBaseline: { min: 0.5, text: "≥ 0.5" },
  ingressP99At200: { max: 50, text: "< 50 ms" },
  approvalP50: { max: 20, text: "< 20 ms" },
  scale3: { min: 0.9, text: "≥ 0.9" },
  growthRatio: { max: 1.2, text: "≤ 1.2" },
};

const fmt = (v, digits = 1) => {
  if (v === null || v === undefined || Number.isNaN(v)) return "n/a";
  if (typeof v !== "number") return String(v);
  if (Math.abs(v) >= 1000) return Math.round(v).toString();
  if (v !== 0 && Math.abs(v) < 0.1) return v.toPrecision(3);
  return v.toFixed(digits);
};
const range = (s, digits = 1) =>
  s && s.n > 1 ? `${fmt(s.min, digits)} – ${fmt(s.max, digits)}` : "";
const verdict = (value, target) => {
  if (value === null || value === undefined || Number.isNaN(value)) return "";
  const ok = target.min !== undefined ? value >= target.min : value <= target.max;
  return ok ? "met" : "MISSED";
};

/** The rows of the table: [scenario, figure, median, min – max, target, verdict]. */
export function tableRows(r) {
  const rows = [];
  const b = r.ceiling?.baselines;
  if (b) {
    const names = {
      raw: "1a broker only (confirm + ack)",
      serial: "1b pipeline, 1 in hand",
      single: "1b pipeline, 32 in hand",
      batch: "1b pipeline, batches ≤ 100",
    };
    for (const [k, label] of Object.entries(names)) {
      rows.push([
        label,
        "msg/s",
        fmt(b[k].messagesPerSecond.median, 0),
        range(b[k].messagesPerSecond, 0),
        "",
        "",
      ]);
    }
    rows.push([
      "1b ceiling (faster of the two)",
      `msg/s (${b.ceilingB.faster})`,
      fmt(b.ceilingB.messagesPerSecond.median, 0),
      range(b.ceilingB.messagesPerSecond, 0),
      "",
      "",
    ]);
  }
  const o = r.ceiling?.orchestrator;
  if (o) {
    rows.push([
      "2 orchestrator (run + yes)",
      "msg/s",
      fmt(o.messagesPerSecond.median),
      range(o.messagesPerSecond),
      "",
      "",
    ]);
    if (o.ratioToBaselineB) {
      const ratio = o.ratioToBaselineB;
      rows.push([
        "2 orchestrator / baseline (b)",
        "ratio",
        fmt(ratio.median, 3),
        range(ratio, 3),
        TARGETS.orchestratorToBaseline.text,
        verdict(ratio.median, TARGETS.orchestratorToBaseline),
      ]);
    }
    for (const [process, ms] of Object.entries(o.cpuMsPerMessage)) {
      rows.push([`  CPU per message: ${process}`, "ms", fmt(ms, 2), "", "", ""]);
    }
  }
  const ing = r.ingress;
  if (ing) {
    for (const rate of ing.rates) {
      const codes = Object.entries(rate.statuses)
        .map(([c, n]) => `${c}×${n}`)
        .join(" ");
      rows.push([
        `3 ingress @ ${rate.offered} req/s`,
        "p50/p95/p99 ms",
        `${fmt(rate.p50.median)}/${fmt(rate.p95.median)}/${fmt(rate.p99.median)}`,
        rate.p99.n > 1 ? `p99 ${range(rate.p99)}` : "",
        rate.offered === 200 ? TARGETS.ingressP99At200.text : "",
        rate.offered === 200 ? verdict(rate.p99.median, TARGETS.ingressP99At200) : "",
      ]);
      const lost = rate.connectionErrors ? `, ${rate.connectionErrors} connection errors` : "";
      rows.push([
        `  achieved ${fmt(rate.achieved)} req/s`,
        "HTTP answers",
        `${codes || "none"}${lost}`,
        "",
        "",
        rate.held ? "held" : "not held",
      ]);
      if (rate.offered === 200 && rate.cpuMsPerRequest) {
        const c = rate.cpuMsPerRequest;
        rows.push([
          "  CPU per request",
          "ms",
          `ingress ${fmt(c.ingress, 2)}, orchestrator ${fmt(c.orchestrator, 2)}, database ${fmt(c.database, 1)}`,
          "",
          "",
          "",
        ]);
      }
    }
    rows.push([
      "3 highest rate held (p99 < 100 ms)",
      "req/s",
      ing.highestHeldRate === null ? `< ${ing.highestFailedRate}` : fmt(ing.highestHeldRate, 0),
      ing.highestFailedRate ? `fails at ${ing.highestFailedRate}` : "",
      "",
      "",
    ]);
  }
  const a = r.approval;
  if (a) {
    rows.push([
      "4 yes sent → ExecutionStarted",
      "p50/p99 ms",
      `${fmt(a.fromYesSentToStartedMs.p50)}/${fmt(a.fromYesSentToStartedMs.p99)}`,
      `n=${a.samples}`,
      TARGETS.approvalP50.text,
      verdict(a.fromYesSentToStartedMs.p50, TARGETS.approvalP50),
    ]);
  }
  const s = r.scale;
  if (s) {
    for (const [n, w] of Object.entries(s.workers)) {
      rows.push([
        `5 ${s.runs} × ${s.jobSeconds} s jobs, ${n} worker(s)`,
        "runs/s",
        fmt(w.runsPerSecond.median, 2),
        range(w.runsPerSecond, 2),
        "",
        "",
      ]);
      if (w.efficiency && Number(n) > 1) {
        const target = Number(n) === 3 ? TARGETS.scale3 : null;
        rows.push([
          `  efficiency vs ${n} × 1 worker`,
          `(vs ${n}/${s.jobSeconds} s: ${fmt(w.efficiencyVsIdeal, 2)})`,
          fmt(w.efficiency.median, 3),
          range(w.efficiency, 3),
          target?.text ?? "",
          target ? verdict(w.efficiency.median, target) : "",
        ]);
      }
    }
  }
  const g = r.growth;
  if (g) {
    for (const size of g.sizes) {
      rows.push([
        `6 ${size.storedRuns} runs stored`,
        "ms/message",
        fmt(size.costMs),
        `run ${fmt(size.runMs.p50, 0)}, yes ${fmt(size.yesMs.p50, 0)} ms; n=${size.samples}${size.timedOut ? ", timed out" : ""}; seeded in ${fmt(size.seedSeconds)} s`,
        "",
        "",
      ]);
    }
    for (const size of g.skippedSizes ?? []) {
      rows.push([`6 ${size} runs stored`, "ms/message", "not measured", "no time left", "", ""]);
    }
    rows.push([
      "6 cost, largest / smallest",
      "ratio",
      fmt(g.costRatio, 2),
      "",
      TARGETS.growthRatio.text,
      verdict(g.costRatio, TARGETS.growthRatio),
    ]);
  }
  for (const m of r.memory ?? []) {
    rows.push([
      `memory: ${m.service}`,
      m.when,
      `${fmt(m.rss)} MB RSS`,
      `peak ${fmt(m.peak)} MB`,
      "",
      "",
    ]);
  }
  return rows;
}

/** Prints rows as aligned columns. */
export function formatTable(rows) {
  const header = ["scenario", "figure", "median", "min – max / notes", "target", ""];
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((row) => String(row[i] ?? "").length)));
  const line = (row) =>
    row
      .map((c, i) => String(c ?? "").padEnd(widths[i]))
      .join("  ")
      .trimEnd();
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

/** The figures of the last line; null when the scenario did not run. */
export function headline(r) {
  const at200 = r.ingress?.rates.find((x) => x.offered === 200);
  return {
    orchestratorToBaseline: r.ceiling?.orchestrator?.ratioToBaselineB?.median ?? null,
    ingressP99At200: at200?.p99.median ?? null,
    scale3: r.scale?.workers?.[3]?.efficiency?.median ?? null,
  };
}

export function lastLine(h) {
  const f = (v, d) => (v === null ? "n/a" : v.toFixed(d));
  const ratio = (v) => (v === null ? "n/a" : v < 0.1 ? v.toPrecision(3) : v.toFixed(3));
  return `orchestrator/baseline=${ratio(h.orchestratorToBaseline)} ingress_p99@200rps=${f(h.ingressP99At200, 1)} scale3=${f(h.scale3, 3)}`;
}

/**
 * Writes bench/results/<date>.json (a -2, -3… suffix when that day has one),
 * formatted by the repository's Prettier settings so `npm run lint` accepts it.
 */
export async function writeResults(dir, document) {
  mkdirSync(dir, { recursive: true });
  const date = new Date().toISOString().slice(0, 10);
  let path = join(dir, `${date}.json`);
  for (let i = 2; existsSync(path); i += 1) path = join(dir, `${date}-${i}.json`);
  const options = (await prettier.resolveConfig(path)) ?? {};
  writeFileSync(
    path,
    await prettier.format(JSON.stringify(document), { ...options, parser: "json" }),
  );
  return path;
}
