import { z } from "zod";
import { RunId, Timestamp } from "./primitives.js";

/**
 * A job's output (stdout and stderr as they came, or an HTTP response body),
 * kept per attempt beside the run, never inside it: the worker running the
 * attempt appends chunks while the job runs and drops the oldest ones past
 * RUN_OUTPUT.limitBytes; ingress and the orchestrator read them.
 */
export const RUN_OUTPUT = {
  collection: "run_output",
  /** At most this much of an attempt's output is kept: its last MiB. */
  limitBytes: 1024 * 1024,
  /** An attempt's chunks; sorted by `inOrder`, the unique index on (runId, attempt, seq) serves it. */
  ofAttempt: (runId: RunId, attempt: number) => ({ runId, attempt }),
  ofRun: (runId: RunId) => ({ runId }),
  inOrder: { seq: 1 },
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
  /** True when output written before this chunk's text was dropped to stay within the limit. */
  cut: z.boolean().optional(),
});
export type RunOutputChunk = z.infer<typeof RunOutputChunk>;

/** An attempt's kept output as one text. */
export interface RunOutputText {
  text: string;
  /** Some earlier output of the attempt was dropped: `text` is its end only. */
  truncated: boolean;
}

/** The chunks of one attempt, in seq order, as one text. */
export function joinOutput(
  chunks: readonly Pick<RunOutputChunk, "seq" | "text" | "cut">[],
): RunOutputText {
  const inOrder = [...chunks].sort((a, b) => a.seq - b.seq);
  const firstSeq = inOrder[0]?.seq ?? 0;
  return {
    text: inOrder.map((chunk) => chunk.text).join(""),
    truncated: firstSeq > 0 || inOrder.some((chunk) => chunk.cut === true),
  };
}

/** Stored documents of one attempt, each checked against RunOutputChunk; `invalid` counts the others. */
export function readOutputChunks(documents: readonly unknown[]): {
  chunks: RunOutputChunk[];
  invalid: number;
} {
  const chunks: RunOutputChunk[] = [];
  for (const document of documents) {
    const parsed = RunOutputChunk.safeParse(document);
    if (parsed.success) chunks.push(parsed.data);
  }
  return { chunks, invalid: documents.length - chunks.length };
}

/** The attempts with output, ascending, from the attempt numbers stored for a run. */
export function outputAttempts(stored: readonly unknown[]): number[] {
  const attempts = stored.filter(
    (value): value is number => RunOutputChunk.shape.attempt.safeParse(value).success,
  );
  return [...new Set(attempts)].sort((a, b) => a - b);
}

/** The line that stands for lines left out. */
export const OMITTED_LINES = "…";

/**
 * The last whole lines of `text` that fit in `maxChars` (line breaks
 * included), after a line "…" when anything before them was left out or
 * `truncated` says the text itself lacks its start. When not even the last
 * line fits, the "…" line is followed by as much of that line's end as fits.
 */
export function lastLines(text: string, maxChars: number, truncated = false): string {
  const lines = text.split(/\r?\n/);
  while (lines.length > 0 && lines.at(-1) === "") lines.pop();
  const whole = lines.join("\n");
  if (!truncated && whole.length <= maxChars) return whole;
  const room = maxChars - OMITTED_LINES.length - 1;
  if (room <= 0 || lines.length === 0) return OMITTED_LINES.slice(0, Math.max(0, maxChars));
  const kept: string[] = [];
  let used = 0;
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i] ?? "";
    const cost = line.length + (kept.length > 0 ? 1 : 0);
    if (used + cost > room) break;
    kept.unshift(line);
    used += cost;
  }
  if (kept.length === 0) kept.push(endOf(lines.at(-1) ?? "", room));
  return [OMITTED_LINES, ...kept].join("\n");
}

/** The last `length` characters of `line`, never starting on the second half of a surrogate pair. */
function endOf(line: string, length: number): string {
  let start = line.length - length;
  if (isLowSurrogate(line.charCodeAt(start))) start += 1;
  return line.slice(start);
}

const isLowSurrogate = (code: number) => code >= 0xdc00 && code <= 0xdfff;
