// Summary statistics for benchmarks and tests that measure: one definition of a percentile, so
// figures from different benches compare. The median is the product's own (core/impact-ratio.ts),
// NaN rather than null here so that figures format and compare without a check at every use.
import { median as medianOrNull } from '../core/impact-ratio.js';

/** The middle value (the mean of the two middle ones for an even count); NaN when empty. */
export const median = (xs: readonly number[]): number => medianOrNull(xs) ?? NaN;

/** Nearest-rank percentile (p in 0..100): a value that occurred, never an interpolation; NaN when empty. */
export function percentile(xs: readonly number[], p: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
}

export interface Summary {
  n: number;
  p50: number;
  p95: number;
  max: number;
  min: number;
}

export const summarise = (xs: readonly number[]): Summary => ({
  n: xs.length,
  p50: median(xs),
  p95: percentile(xs, 95),
  max: xs.length ? Math.max(...xs) : NaN,
  min: xs.length ? Math.min(...xs) : NaN,
});
