// The shape of `results` in bench/results/<date>.json: what each scenario returned.
import type { ApprovalResult } from "../scenarios/approval.js";
import type { CeilingResult } from "../scenarios/ceiling.js";
import type { GrowthResult } from "../scenarios/growth.js";
import type { IngressResult } from "../scenarios/ingress.js";
import type { ScaleResult } from "../scenarios/scale.js";

/** A scenario's result, with how long the scenario took. */
export type Timed<T> = T & { scenarioSeconds?: number };

export interface ScenarioResults {
  ceiling?: Timed<CeilingResult>;
  ingress?: Timed<IngressResult>;
  approval?: Timed<ApprovalResult>;
  scale?: Timed<ScaleResult>;
  growth?: Timed<GrowthResult>;
}

/** The memory of one service process after its heaviest scenario. */
export interface MemoryEntry {
  service: string;
  when: string;
  rss: number;
  peak: number;
}

export type BenchResults = ScenarioResults & { memory: MemoryEntry[] };
