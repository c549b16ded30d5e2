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
  return bootstrapMedians(
    [{ values: base }, { values: head }],
    (m) => (m[1] as number) / (m[0] as number),
    confidence,
    resamples,
    random,
  );
}

/**
 * Samples with, optionally, the process (or any other cluster) each came from. Samples of one
 * process are not independent of each other — a process can run the same code at its own speed — so
 * the bootstrap resamples processes first and samples within them second.
 */
export interface SampleSet {
  /** The samples. */
  readonly values: readonly number[];
  /** The process of each sample (same length as `values`); absent or one process: plain bootstrap. */
  readonly processes?: readonly number[];
  /**
   * Sets with the same family were measured in the same processes (e.g. ours and the anchor side
   * by side) and are resampled together, process by process.
   */
  readonly family?: string;
  /**
   * The sets of this family are index-aligned: the i-th sample of each measured the same step of a
   * deterministic sequence (instruction counts of the same loop in the same order), so they are
   * resampled by index, jointly — a step that is cheap in both runs stays paired with itself.
   * Taken only when every set of the family says so and all have the same length.
   */
  readonly aligned?: boolean;
}

/** A set's samples grouped by process (one group when it does not say). */
function clustersOf(set: SampleSet): Map<number, number[]> {
  const groups = new Map<number, number[]>();
  const { values, processes } = set;
  values.forEach((v, i) => {
    const p = processes?.length === values.length ? (processes[i] as number) : 0;
    const list = groups.get(p);
    if (list === undefined) groups.set(p, [v]);
    else list.push(v);
  });
  return groups;
}

/**
 * Draws one bootstrap resample of a family of sets (sets whose samples were taken in the same
 * processes, e.g. ours and the anchor measured side by side): the family's processes are drawn
 * once, with replacement, and every set takes its samples from the drawn processes — so a process
 * that was slow for both sides stays slow for both. A family with one process resamples samples.
 */
function familyResampler(family: readonly SampleSet[], random: () => number): () => number[][] {
  const n = family[0]?.values.length ?? 0;
  if (family.length > 1 && family.every((set) => set.aligned === true && set.values.length === n))
    return () => {
      const drawn = Array.from({ length: n }, () => Math.floor(random() * n));
      return family.map((set) => drawn.map((i) => set.values[i] as number));
    };
  const clusters = family.map(clustersOf);
  const labels = [...new Set(clusters.flatMap((c) => [...c.keys()]))];
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  if (labels.length < 2) return () => family.map((set) => set.values.map(() => pick(set.values)));
  return () => {
    const drawn = labels.map(() => pick(labels));
    return family.map((set, k) => {
      const out: number[] = [];
      for (const label of drawn) {
        const cluster = (clusters[k] as Map<number, number[]>).get(label);
        if (cluster !== undefined) for (let i = 0; i < cluster.length; i++) out.push(pick(cluster));
      }
      return out.length > 0 ? out : set.values.map(() => pick(set.values));
    });
  };
}

/**
 * A percentile bootstrap of a statistic of the medians of several sample sets. Sets that say which
 * process each sample came from are resampled processes first, then samples within them; sets of
 * the same `family` (measured in the same processes) share each round's draw of processes.
 * @param sets - the sample sets
 * @param statistic - computes the statistic from the sets' medians, in order
 * @param confidence - e.g. 0.95
 * @param resamples - bootstrap rounds
 * @param random - a random source (seeded for reproducibility)
 * @returns the statistic and its interval
 */
export function bootstrapMedians(
  sets: readonly SampleSet[],
  statistic: (medians: readonly number[]) => number,
  confidence = 0.95,
  resamples = 2_000,
  random: () => number = seededRandom(42),
): Interval {
  const estimate = statistic(sets.map((set) => median(set.values)));
  const families = new Map<string, number[]>();
  sets.forEach((set, k) => {
    const key = set.family ?? `#${k}`;
    families.set(key, [...(families.get(key) ?? []), k]);
  });
  const draws = [...families.values()].map((members) => ({
    members,
    draw: familyResampler(
      members.map((k) => sets[k] as SampleSet),
      random,
    ),
  }));
  const values = new Float64Array(resamples);
  const medians = new Array<number>(sets.length);
  for (let r = 0; r < resamples; r++) {
    for (const { members, draw } of draws) {
      const resampled = draw();
      members.forEach(
        (k, i) => (medians[k] = medianOf(Float64Array.from(resampled[i] as number[]))),
      );
    }
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
 * The noise of `median(of) / median(by)` for two sets measured side by side in the same processes,
 * relative to it: within a process, the two medians' noises combined; between processes, the spread
 * of the per-process ratios (a process that slows both sides does not move the ratio).
 * @param by - the denominator's samples (e.g. the anchor's)
 * @param of - the numerator's samples (e.g. ours), with the same process numbers
 * @returns e.g. 0.02 for a ratio known to about ± 2 %
 */
export function pairedRatioNoise(by: SampleSet, of: SampleSet): number {
  const under = clustersOf(by);
  const ratios: number[] = [];
  const inside: number[] = [];
  for (const [label, values] of clustersOf(of)) {
    const anchor = under.get(label);
    if (anchor === undefined) continue;
    ratios.push(median(values) / median(anchor));
    inside.push(Math.hypot(noiseOfMedian(values), noiseOfMedian(anchor)));
  }
  const within =
    inside.length === 0
      ? Math.hypot(noiseOfMedian(by.values), noiseOfMedian(of.values))
      : median(inside) / Math.sqrt(inside.length);
  return atLeastBetween(within, ratios);
}

/**
 * The noise of a set's median, relative to it: ≈ 1.25 × MAD / median / √n for independent samples;
 * with several processes, at least the spread of the per-process medians over √(processes).
 * @param set - the samples
 * @returns e.g. 0.02 for a median known to about ± 2 %
 */
export function medianNoise(set: SampleSet): number {
  return atLeastBetween(noiseOfMedian(set.values), [...clustersOf(set).values()].map(median));
}

/** ≈ 1.25 × MAD / median / √n: the relative noise of the median of independent samples. */
function noiseOfMedian(values: readonly number[]): number {
  return (1.2533 * relativeNoise(values)) / Math.sqrt(values.length);
}

/** `within`, or the noise of the median of per-process figures when larger (2+ processes). */
function atLeastBetween(within: number, perProcess: readonly number[]): number {
  if (perProcess.length < 2) return within;
  const between = noiseOfMedian(perProcess);
  return Number.isFinite(between) ? Math.max(within, between) : within;
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
  return bootstrapMedians(
    [{ values: base }, { values: baseAnchor }, { values: head }, { values: headAnchor }],
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
