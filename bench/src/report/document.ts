// The JSON document of one run (bench/results/<date>.json) and its heading line.
import { readFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { join } from "node:path";
import { z } from "zod";
import type { BenchConfig } from "../lib/config.js";
import { headline, type Headline } from "./output.js";
import type { BenchResults } from "./results.js";
import { TARGETS } from "./targets.js";

/** What the database's buildInfo command says (the part that is read). */
export const BuildInfo = z.object({
  version: z.string().optional(),
  ferretdbVersion: z.string().optional(),
});
export type BuildInfo = z.infer<typeof BuildInfo>;

export interface BenchDocument {
  date: string;
  durationSeconds: number;
  machine: {
    cpus: number;
    cpuModel: string | undefined;
    memoryGb: number;
    node: string;
    rabbitmq: string | null;
    database: string | null;
  };
  config: Pick<
    BenchConfig,
    "quick" | "repeats" | "orchestratorRuns" | "ingressRates" | "scaleRuns" | "growthRuns"
  >;
  targets: Record<string, string>;
  headline: Headline;
  failures: string[];
  results: BenchResults;
}

/** What the MongoDB-compatible server says it is (FerretDB built as a library reports "unknown"). */
function databaseName(root: string, info: BuildInfo): string | null {
  if (!info.ferretdbVersion) return info.version ? `MongoDB ${info.version}` : null;
  let version = info.ferretdbVersion;
  if (version === "unknown") {
    try {
      const goMod = readFileSync(join(root, "tools/ferretdb/go.mod"), "utf8");
      version = `${/FerretDB\/FerretDB (v[\d.]+)/.exec(goMod)?.[1] ?? "unknown"} per tools/ferretdb/go.mod`;
    } catch {
      // keep "unknown"
    }
  }
  return `FerretDB ${version} (MongoDB ${info.version} API)`;
}

export function benchDocument(o: {
  root: string;
  config: BenchConfig;
  durationSeconds: number;
  rabbitmqVersion: string | null;
  buildInfo: BuildInfo;
  failures: string[];
  results: BenchResults;
}): BenchDocument {
  const { config } = o;
  return {
    date: new Date().toISOString(),
    durationSeconds: Math.round(o.durationSeconds),
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model,
      memoryGb: Math.round(totalmem() / 2 ** 30),
      node: process.version,
      rabbitmq: o.rabbitmqVersion,
      database: databaseName(o.root, o.buildInfo),
    },
    config: {
      quick: config.quick,
      repeats: config.repeats,
      orchestratorRuns: config.orchestratorRuns,
      ingressRates: config.ingressRates,
      scaleRuns: config.scaleRuns,
      growthRuns: config.growthRuns,
    },
    targets: Object.fromEntries(Object.entries(TARGETS).map(([k, t]) => [k, t.text])),
    headline: headline(o.results),
    failures: o.failures,
    results: o.results,
  };
}

/** The line above the table: when, on what, how many repeats, how long. */
export function heading(document: BenchDocument, repeats: number): string {
  const { machine } = document;
  return (
    `TextOps bench, ${document.date}: ${machine.cpus} × ${machine.cpuModel}, node ${machine.node}, ` +
    `RabbitMQ ${machine.rabbitmq}, ${machine.database}; median of ${repeats} repeat(s) [min – max]; ` +
    `${document.durationSeconds} s`
  );
}
