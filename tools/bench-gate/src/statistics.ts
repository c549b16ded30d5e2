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
  return bootstrap(
    [base, head],
    (m) => (m[1] as number) / (m[0] as number),
    confidence,
    resamples,
    random,
  );
}

/**
 * A percentile bootstrap of a statistic of the medians of several sample sets: each round resamples
 * every set with replacement and recomputes the statistic from the resampled medians.
 */
function bootstrap(
  sets: readonly (readonly number[])[],
  statistic: (medians: readonly number[]) => number,
  confidence: number,
  resamples: number,
  random: () => number,
): Interval {
  const estimate = statistic(sets.map(median));
  const buffers = sets.map((set) => new Float64Array(set.length));
  const values = new Float64Array(resamples);
  const medians = new Array<number>(sets.length);
  for (let r = 0; r < resamples; r++) {
    sets.forEach((set, k) => {
      const buffer = buffers[k] as Float64Array;
      for (let i = 0; i < set.length; i++)
        buffer[i] = set[Math.floor(random() * set.length)] as number;
      medians[k] = medianOf(buffer);
    });
    values[r] = statistic(medians);
  }
  values.sort();
  const tail = (1 - confidence) / 2;
  return {
    estimate,
    low: values[Math.floor(tail * (resamples - 1))] as number,
    high: values[Math.ceil((1 - tail) * (resamples - 1))] as number,
  };
}

/**
 * Bootstrap confidence interval of a ratio of ratios: how head changed relative to its anchor,
 * compared with how base stood relative to its anchor —
 * `(median(head) / median(headAnchor)) / (median(base) / median(baseAnchor))`. All four sets are
 * resampled, so the anchors' own uncertainty is in the interval. Comparing runs this way cancels most
 * of what differs between machines or moments (both sides of a run slow down together).
 * @param base - base samples
 * @param baseAnchor - the anchor's samples in the base run
 * @param head - head samples
 * @param headAnchor - the anchor's samples in the head run
 * @param confidence - e.g. 0.95
 * @param resamples - bootstrap rounds
 * @param random - a random source (seeded for reproducibility)
 * @returns the ratio of ratios and its interval
 */
export function bootstrapAnchoredRatio(
  base: readonly number[],
  baseAnchor: readonly number[],
  head: readonly number[],
  headAnchor: readonly number[],
  confidence = 0.95,
  resamples = 2_000,
  random: () => number = seededRandom(42),
): Interval {
  return bootstrap(
    [base, baseAnchor, head, headAnchor],
    (m) => (m[2] as number) / (m[3] as number) / ((m[0] as number) / (m[1] as number)),
    confidence,
    resamples,
    random,
  );
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
