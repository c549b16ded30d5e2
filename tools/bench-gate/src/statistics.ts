/**
 * Statistics for comparing two sets of timing samples, in plain functions over arrays of numbers.
 * Timings are skewed and heavy-tailed, so everything here is rank- or resampling-based: medians,
 * a bootstrap interval on the ratio of medians, and the Mann–Whitney U test.
 */

/** A seeded pseudo-random generator (mulberry32), so verdicts are reproducible. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * The median.
 * @param values - samples
 * @returns the median (NaN for none)
 */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/**
 * Relative noise: the median absolute deviation over the median (a robust coefficient of variation).
 * @param values - samples
 * @returns e.g. 0.03 for 3 % noise
 */
export function relativeNoise(values: readonly number[]): number {
  const m = median(values);
  if (!(m > 0)) return Number.NaN;
  return (1.4826 * median(values.map((v) => Math.abs(v - m)))) / m;
}

/** A confidence interval. */
export interface Interval {
  /** The point estimate. */
  readonly estimate: number;
  /** Lower bound. */
  readonly low: number;
  /** Upper bound. */
  readonly high: number;
}

/**
 * Bootstrap confidence interval of `median(head) / median(base)`: resample each side with
 * replacement, recompute the ratio, take the percentiles.
 * @param base - base samples
 * @param head - head samples
 * @param confidence - e.g. 0.95
 * @param resamples - bootstrap rounds
 * @param random - a random source (seeded for reproducibility)
 * @returns the ratio and its interval
 */
export function bootstrapRatio(
  base: readonly number[],
  head: readonly number[],
  confidence = 0.95,
  resamples = 2_000,
  random: () => number = seededRandom(42),
): Interval {
  const estimate = median(head) / median(base);
  const ratios = new Float64Array(resamples);
  const a = new Float64Array(base.length);
  const b = new Float64Array(head.length);
  for (let r = 0; r < resamples; r++) {
    for (let i = 0; i < base.length; i++) a[i] = base[Math.floor(random() * base.length)] as number;
    for (let i = 0; i < head.length; i++) b[i] = head[Math.floor(random() * head.length)] as number;
    ratios[r] = medianOf(b) / medianOf(a);
  }
  ratios.sort();
  const tail = (1 - confidence) / 2;
  return {
    estimate,
    low: ratios[Math.floor(tail * (resamples - 1))] as number,
    high: ratios[Math.ceil((1 - tail) * (resamples - 1))] as number,
  };
}

function medianOf(values: Float64Array): number {
  values.sort();
  const mid = values.length >> 1;
  return values.length % 2 === 1
    ? (values[mid] as number)
    : ((values[mid - 1] as number) + (values[mid] as number)) / 2;
}

/** The result of a Mann–Whitney U test. */
export interface MannWhitney {
  /** The U statistic of `head`. */
  readonly u: number;
  /** Two-sided p-value (normal approximation with tie correction). */
  readonly p: number;
}

/**
 * Mann–Whitney U test: are `head` samples systematically larger or smaller than `base` ones?
 * @param base - base samples
 * @param head - head samples
 * @returns U and the two-sided p-value
 */
export function mannWhitney(base: readonly number[], head: readonly number[]): MannWhitney {
  const n1 = base.length;
  const n2 = head.length;
  const all = [
    ...base.map((v) => ({ v, head: false })),
    ...head.map((v) => ({ v, head: true })),
  ].sort((x, y) => x.v - y.v);
  const ranks = new Float64Array(all.length);
  let tieTerm = 0;
  for (let i = 0; i < all.length;) {
    let j = i;
    while (j + 1 < all.length && (all[j + 1] as { v: number }).v === (all[i] as { v: number }).v)
      j++;
    const rank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) ranks[k] = rank;
    const t = j - i + 1;
    tieTerm += t * t * t - t;
    i = j + 1;
  }
  let headRanks = 0;
  all.forEach((x, i) => {
    if (x.head) headRanks += ranks[i] as number;
  });
  const u = headRanks - (n2 * (n2 + 1)) / 2;
  const mean = (n1 * n2) / 2;
  const n = n1 + n2;
  const variance = ((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1)));
  if (!(variance > 0)) return { u, p: 1 };
  const z = (Math.abs(u - mean) - 0.5) / Math.sqrt(variance);
  return { u, p: Math.min(1, 2 * (1 - normalCdf(Math.max(0, z)))) };
}

/** Standard normal CDF (Abramowitz–Stegun 7.1.26, error < 1.5e-7). */
export function normalCdf(z: number): number {
  const t = 1 / (1 + (0.3275911 * Math.abs(z)) / Math.SQRT2);
  const y =
    1 -
    ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) *
      t *
      Math.exp(-(z * z) / 2);
  return z >= 0 ? 0.5 * (1 + y) : 0.5 * (1 - y);
}
