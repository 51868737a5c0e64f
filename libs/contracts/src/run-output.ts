import { z } from "zod";
import { RunId, Timestamp } from "./primitives.js";

/**
 * A job's output (stdout and stderr as they came, or an HTTP response body),
 * kept per attempt beside the run, never inside it: the worker running the
 * attempt appends chunks while the job runs and drops the oldest ones past
 * RUN_OUTPUT_LIMIT_BYTES; ingress and the orchestrator read them.
 */
export const RUN_OUTPUT = {
  collection: "run_output",
  /** At most this much of an attempt's output is kept: its last MiB. */
  limitBytes: 1024 * 1024,
} as const;

export const RunOutputChunk = z.object({
  runId: RunId,
  attempt: z.number().int().min(1),
  /** 0, 1, 2 … in the order written; a first kept seq above 0 means older output was dropped. */
  seq: z.number().int().min(0),
  text: z.string(),
  /** UTF-8 bytes of `text`. */
  bytes: z.number().int().min(0),
  at: Timestamp,
});
export type RunOutputChunk = z.infer<typeof RunOutputChunk>;

/** The last whole lines of `text` that fit in `maxChars`, with a leading "…" line when some were left out. */
export function lastLines(text: string, maxChars: number): string {
  const lines = text.replace(/\n+$/u, "").split("\n");
  const kept: string[] = [];
  let used = 0;
  for (let i = lines.length - 1; i >= 0; i -= 1) {
    const line = lines[i] ?? "";
    if (used + line.length + 1 > maxChars - 2) break;
    kept.unshift(line);
    used += line.length + 1;
  }
  if (kept.length === 0) return `…${text.slice(-(maxChars - 1))}`;
  return kept.length < lines.length ? ["…", ...kept].join("\n") : kept.join("\n");
}
