import { bootstrapRatio, mannWhitney, median, relativeNoise } from "./statistics.js";
import type { Interval } from "./statistics.js";

/** What a comparison concludes. */
export type VerdictKind =
  "regression" | "improvement holds" | "improvement" | "no change" | "inconclusive";

/** How a comparison decides. */
export interface DecisionOptions {
  /**
   * A slowdown larger than this fraction is a regression (when the whole interval is beyond it).
   * @defaultValue the profile's noise tolerance: 0.05 locally, 0.10 under CI
   */
  readonly threshold: number;
  /** Require head to be at least this fraction faster (e.g. 0.3 for "≥ 30 % faster"). */
  readonly expectFaster?: number;
  /** Confidence of the interval. @defaultValue 0.95 */
  readonly confidence?: number;
  /** Significance level of the Mann–Whitney check. @defaultValue 0.01 */
  readonly alpha?: number;
}

/** A figure measured on both sides. */
export interface PerSide {
  /** The base's value. */
  readonly base: number;
  /** The head's value. */
  readonly head: number;
}

/** A comparison's outcome, with everything needed to explain it. */
export interface Verdict {
  /** The conclusion. */
  readonly kind: VerdictKind;
  /** head / base time, with its confidence interval (below 1 = head faster). */
  readonly ratio: Interval;
  /** Speed-up of head over base in percent (positive = faster): `(1 / ratio − 1) × 100`. */
  readonly speedupPercent: number;
  /** Mann–Whitney p-value. */
  readonly p: number;
  /** Observed relative noise (MAD / median) of base and head. */
  readonly noise: PerSide;
  /** Medians. */
  readonly medians: PerSide;
  /** Sample counts. */
  readonly samples: PerSide;
  /** One plain sentence. */
  readonly explanation: string;
}

const pct = (x: number): string => `${(x * 100).toFixed(1)} %`;

/**
 * Decides: **regression** when the whole interval is slower than the threshold (and Mann–Whitney
 * agrees), **improvement holds** when `expectFaster` is given and the whole interval is at least that
 * much faster, **improvement** when the whole interval is faster than the threshold, **no change**
 * when the whole interval lies within ± threshold, and **inconclusive** otherwise — never a silent
 * pass. A threshold tighter than 3× the observed noise of the medians (the per-sample noise over √n)
 * cannot be judged and is inconclusive.
 * @param base - base samples (durations; lower is better)
 * @param head - head samples
 * @param options - threshold, expected speed-up, confidence
 * @returns the verdict
 */
export function decide(
  base: readonly number[],
  head: readonly number[],
  options: DecisionOptions,
): Verdict {
  const ratio = bootstrapRatio(base, head, options.confidence ?? 0.95);
  const { p } = mannWhitney(base, head);
  const noise = { base: relativeNoise(base), head: relativeNoise(head) };
  // The noise that matters for a verdict is that of the medians being compared: the per-sample
  // noise shrinks with √n (the median's standard error is ≈ 1.25 × σ / √n).
  const worstNoise = Math.max(
    (1.2533 * noise.base) / Math.sqrt(base.length),
    (1.2533 * noise.head) / Math.sqrt(head.length),
  );
  const threshold = options.threshold;
  const alpha = options.alpha ?? 0.01;
  const speedupPercent = (1 / ratio.estimate - 1) * 100;
  const common = {
    ratio,
    speedupPercent,
    p,
    noise,
    medians: { base: median(base), head: median(head) },
    samples: { base: base.length, head: head.length },
  };
  const interval = `head/base ${ratio.estimate.toFixed(3)} [${ratio.low.toFixed(3)}, ${ratio.high.toFixed(3)}]`;
  if (options.expectFaster !== undefined) {
    const needed = 1 / (1 + options.expectFaster); // "30 % faster" = 1.3× the speed = ratio ≤ 0.769
    if (ratio.high <= needed && p < alpha)
      return {
        kind: "improvement holds",
        ...common,
        explanation: `${interval}: the whole interval is at least ${pct(options.expectFaster)} faster.`,
      };
    if (ratio.low > needed)
      return {
        kind: "inconclusive",
        ...common,
        explanation: `${interval}: head is not ${pct(options.expectFaster)} faster (the expected speed-up does not hold).`,
      };
    return {
      kind: "inconclusive",
      ...common,
      explanation: `${interval}: the interval straddles the expected ${pct(options.expectFaster)} speed-up; more samples or a quieter machine are needed.`,
    };
  }
  if (threshold < 3 * worstNoise) {
    return {
      kind: "inconclusive",
      ...common,
      explanation: `a ${pct(threshold)} threshold is tighter than 3× the observed noise of the medians (${pct(worstNoise)}; per sample ${pct(Math.max(noise.base, noise.head))}): this machine cannot judge it. Raise the threshold, take more samples or reduce the noise.`,
    };
  }
  if (ratio.low > 1 + threshold && p < alpha)
    return {
      kind: "regression",
      ...common,
      explanation: `${interval}: head is slower by more than ${pct(threshold)} across the whole interval.`,
    };
  if (ratio.high < 1 / (1 + threshold) && p < alpha)
    return {
      kind: "improvement",
      ...common,
      explanation: `${interval}: head is faster by more than ${pct(threshold)} across the whole interval.`,
    };
  if (ratio.low >= 1 / (1 + threshold) && ratio.high <= 1 + threshold)
    return {
      kind: "no change",
      ...common,
      explanation: `${interval}: any difference is within ± ${pct(threshold)}.`,
    };
  return {
    kind: "inconclusive",
    ...common,
    explanation: `${interval}: the interval crosses the ± ${pct(threshold)} bounds; more samples are needed.`,
  };
}
