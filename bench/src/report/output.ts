// The bench's outputs besides the table: its last line, and the JSON file.
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import * as prettier from "prettier";
import type { BenchResults } from "./results.js";

/** The figures of the last line; null when the scenario did not run. */
export interface Headline {
  orchestratorToBaseline: number | null;
  ingressP99At200: number | null;
  scale3: number | null;
}

export function headline(r: BenchResults): Headline {
  const at200 = r.ingress?.rates.find((x) => x.offered === 200);
  return {
    orchestratorToBaseline: r.ceiling?.orchestrator?.ratioToBaselineB?.median ?? null,
    ingressP99At200: at200?.p99.median ?? null,
    scale3: r.scale?.workers[3]?.efficiency?.median ?? null,
  };
}

export function lastLine(h: Headline): string {
  const f = (v: number | null, d: number) => (v === null ? "n/a" : v.toFixed(d));
  const ratio = (v: number | null) =>
    v === null ? "n/a" : v < 0.1 ? v.toPrecision(3) : v.toFixed(3);
  return `orchestrator/baseline=${ratio(h.orchestratorToBaseline)} ingress_p99@200rps=${f(h.ingressP99At200, 1)} scale3=${f(h.scale3, 3)}`;
}

/**
 * Writes bench/results/<date>.json (a -2, -3… suffix when that day has one),
 * formatted by the repository's Prettier settings so `npm run lint` accepts it.
 */
export async function writeResults(dir: string, document: unknown): Promise<string> {
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
