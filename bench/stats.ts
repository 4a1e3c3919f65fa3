/** Summary of one series of timings, in milliseconds. */
export interface Timing {
  samples: number;
  meanMs: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  minMs: number;
  maxMs: number;
}

/** Nearest rank: the smallest sample with at least q of the samples at or below it. */
function percentile(sorted: readonly number[], q: number): number {
  const rank = Math.max(1, Math.ceil(q * sorted.length));
  return sorted[rank - 1] as number;
}

export function summarize(durationsMs: readonly number[]): Timing {
  if (durationsMs.length === 0) throw new Error("No samples to summarize");
  const sorted = [...durationsMs].sort((a, b) => a - b);
  return {
    samples: sorted.length,
    meanMs: sorted.reduce((sum, value) => sum + value, 0) / sorted.length,
    p50Ms: percentile(sorted, 0.5),
    p95Ms: percentile(sorted, 0.95),
    p99Ms: percentile(sorted, 0.99),
    minMs: sorted[0] as number,
    maxMs: sorted[sorted.length - 1] as number,
  };
}
