// Small statistics helpers: medians of repeats with their spread, percentiles of samples.

/** @param {number[]} values */
export function median(values) {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * Nearest-rank percentile (p in 0..100) of unsorted samples.
 * @param {number[]} values
 * @param {number} p
 */
export function percentile(values, p) {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(sorted.length, rank) - 1];
}

/**
 * The figure of several repeats: their median, min and max, and the spread
 * as (max - min) / median.
 * @param {number[]} values
 */
export function summarize(values) {
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
export function significant(value, digits = 4) {
  return Number.isFinite(value) && value !== 0 ? Number(value.toPrecision(digits)) : value;
}

/** @param {number | null} value @param {number} digits */
export function round(value, digits = 1) {
  if (value === null || !Number.isFinite(value)) return value;
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** The latency percentiles reported everywhere. @param {number[]} samples */
export function latencySummary(samples) {
  return {
    n: samples.length,
    p50: round(percentile(samples, 50), 2),
    p95: round(percentile(samples, 95), 2),
    p99: round(percentile(samples, 99), 2),
    max: round(samples.length ? Math.max(...samples) : null, 2),
  };
}
