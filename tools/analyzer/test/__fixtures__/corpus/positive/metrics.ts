// expect: monitoring/ad-hoc-metrics
export const stats = { requests: 0, errors: 0, hits: 0, misses: 0 };

export function record(ok: boolean, cached: boolean): void {
  stats.requests++;
  if (!ok) stats.errors++;
  if (cached) stats.hits++;
  else stats.misses++;
}
