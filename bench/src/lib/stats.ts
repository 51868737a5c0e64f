// Small statistics helpers: medians of repeats with their spread, percentiles of samples.

export function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const at = (i: number) => sorted[i] ?? NaN;
  return sorted.length % 2 === 1 ? at(mid) : (at(mid - 1) + at(mid)) / 2;
}

/** Nearest-rank percentile (p in 0..100) of unsorted samples. */
export function percentile(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(sorted.length, rank) - 1] ?? null;
}

/** The figure of several repeats (null figures when none was finite). */
export interface Summary {
  median: number | null;
  min: number | null;
  max: number | null;
  /** (max - min) / median */
  spread: number | null;
  n: number;
  values: number[];
}

/** The median, min and max of repeats, and their spread as (max - min) / median. */
export function summarize(values: number[]): Summary {
  const finite = values.filter((v) => Number.isFinite(v));
  const mid = median(finite);
  if (mid === null) return { median: null, min: null, max: null, spread: null, n: 0, values };
  const min = Math.min(...finite);
  const max = Math.max(...finite);
  return {
    median: significant(mid),
    min: significant(min),
    max: significant(max),
    spread: mid === 0 ? null : significant((max - min) / Math.abs(mid), 3),
    n: finite.length,
    values: finite.map((v) => significant(v)),
  };
}

/** `value` to `digits` significant digits (figures stay short in the JSON). */
export function significant(value: number, digits = 4): number {
  return Number.isFinite(value) && value !== 0 ? Number(value.toPrecision(digits)) : value;
}

export function round(value: number, digits?: number): number;
export function round(value: number | null, digits?: number): number | null;
export function round(value: number | null, digits = 1): number | null {
  if (value === null || !Number.isFinite(value)) return value;
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

export interface LatencySummary {
  n: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
  max: number | null;
}

/** The latency percentiles reported everywhere. */
export function latencySummary(samples: number[]): LatencySummary {
  return {
    n: samples.length,
    p50: round(percentile(samples, 50), 2),
    p95: round(percentile(samples, 95), 2),
    p99: round(percentile(samples, 99), 2),
    max: round(samples.length ? Math.max(...samples) : null, 2),
  };
}
