// "A plain `max` cache using the same memory" (issue 26's done-when), made exact: the plain caches'
// curve of hit ratio over peak heap + external, and each optimizer run held against that curve at
// its own peak.
import type { LoggedRun } from "./workload.bench.js";

/** One point of a plain cache's curve: a `sizedMax`, its median peak and hit ratios over runs. */
export interface CurvePoint {
  readonly sizedMax: number;
  readonly runs: number;
  readonly peak: number;
  readonly hitRatio: number;
  readonly steadyHitRatio: number;
}

/** An optimizer run against the plain curve of its workload, heap and pool. */
export interface CurveGap {
  readonly run: LoggedRun;
  /** Its hit ratio less the plain curve's at its own peak heap + external. */
  readonly gap: number;
  /** The same for the steady state (the requests after the first quarter). */
  readonly steadyGap: number;
  /**
   * Whether its peak lies outside the curve's: it is then held against the nearest end (a plain
   * cache measured at a lower or higher peak), not against an extrapolation.
   */
  readonly extrapolated: boolean;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/**
 * The plain caches' curve: one point per `sizedMax` (the median over its runs), in order of peak.
 * @param plain - runs of one plain variant (`sized` or `sized-pool`) on one workload and heap
 * @returns the points, by peak
 */
export function plainCurve(plain: readonly LoggedRun[]): CurvePoint[] {
  const bySize = new Map<number, LoggedRun[]>();
  for (const run of plain) {
    const size = run.spec.sizedMax ?? 25_000;
    bySize.set(size, [...(bySize.get(size) ?? []), run]);
  }
  return [...bySize]
    .map(([sizedMax, runs]) => ({
      sizedMax,
      runs: runs.length,
      peak: median(runs.map((r) => r.peakHeapExternal)),
      hitRatio: median(runs.map((r) => r.hitRatio)),
      steadyHitRatio: median(runs.map((r) => r.steadyHitRatio)),
    }))
    .sort((a, b) => a.peak - b.peak);
}

/** The curve's value at `peak`: linear between the two points around it, the end's beyond it. */
function at(curve: readonly CurvePoint[], peak: number, pick: (p: CurvePoint) => number): number {
  const i = curve.findIndex((p) => p.peak >= peak);
  if (i === 0) return pick(curve[0] as CurvePoint);
  if (i === -1) return pick(curve.at(-1) as CurvePoint);
  const a = curve[i - 1] as CurvePoint;
  const b = curve[i] as CurvePoint;
  if (b.peak === a.peak) return (pick(a) + pick(b)) / 2;
  return pick(a) + ((pick(b) - pick(a)) * (peak - a.peak)) / (b.peak - a.peak);
}

/**
 * Each run's hit ratio against the plain curve at its own peak heap + external.
 * @param curve - the plain caches' curve (at least two points of different peaks)
 * @param runs - optimizer runs of the same workload, heap and pool
 * @returns one gap per run
 */
export function curveGaps(curve: readonly CurvePoint[], runs: readonly LoggedRun[]): CurveGap[] {
  const first = curve[0];
  const last = curve.at(-1);
  if (first === undefined || last === undefined || first.peak === last.peak) return [];
  return runs.map((run) => ({
    run,
    gap: run.hitRatio - at(curve, run.peakHeapExternal, (p) => p.hitRatio),
    steadyGap: run.steadyHitRatio - at(curve, run.peakHeapExternal, (p) => p.steadyHitRatio),
    extrapolated: run.peakHeapExternal < first.peak || run.peakHeapExternal > last.peak,
  }));
}
