import { PerflayerConfigError } from "@perflayer/core";
import {
  bootstrapMedians,
  mannWhitney,
  median,
  medianNoise,
  pairedRatioNoise,
  relativeNoise,
} from "./statistics.js";
import type { Interval, SampleSet } from "./statistics.js";

/** What a comparison concludes. */
export type VerdictKind =
  | "regression"
  | "improvement holds"
  | "improvement does not hold"
  | "improvement"
  | "no change"
  | "inconclusive"
  | "target met"
  | "target missed";

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
  /**
   * Anchor samples measured alongside each side: head and base are then compared relative to their
   * anchors (a ratio of ratios), which cancels most of what differs between machines or moments.
   */
  readonly anchors?: {
    /** The anchor's samples measured alongside `base`. */
    readonly base: readonly number[];
    /** The anchor's samples measured alongside `head`. */
    readonly head: readonly number[];
  };
  /** Which process each sample came from, so the interval carries the variation between them. */
  readonly processes?: Processes;
  /**
   * Each side and its anchor were measured in the same processes (side by side), so they are
   * resampled together, process by process. @defaultValue false
   */
  readonly paired?: boolean;
  /**
   * Base and head are index-aligned sequences (instruction counts: the i-th sample of each run
   * counted the same step), compared step by step rather than as two independent sets. Ignored
   * when the two have different numbers of samples or anchors are given. @defaultValue false
   */
  readonly aligned?: boolean;
}

/** The process of each sample, per sample set (same lengths as the sets); any may be absent. */
export interface Processes {
  /** Of `base`. */
  readonly base?: readonly number[];
  /** Of `head`. */
  readonly head?: readonly number[];
  /** Of the anchor's samples alongside `base`. */
  readonly baseAnchor?: readonly number[];
  /** Of the anchor's samples alongside `head`. */
  readonly headAnchor?: readonly number[];
}

/** A figure measured on both sides. */
export interface PerSide {
  /** The base's value. */
  readonly base: number;
  /** The head's value. */
  readonly head: number;
}

/** A ratio a verdict was judged against (a threshold, an expected speed-up, a target). */
export interface Bound {
  /** The head/base (or ours/anchor) ratio of the bound. */
  readonly ratio: number;
  /** What it is, e.g. "≥ 30.0 % faster" or "+5.0 % slower". */
  readonly label: string;
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
  /** The ratios the interval was judged against (after widening to the noise). */
  readonly bounds: readonly Bound[];
  /** One plain sentence. */
  readonly explanation: string;
}

const pct = (x: number): string => `${(x * 100).toFixed(1)} %`;

/**
 * A bound tighter than 3× the noise of the medians cannot be judged: it is widened to that, and the
 * explanation says so. Large changes are still caught; "no change" is then not claimed.
 */
function widen(
  requested: number,
  worstNoise: number,
  what: string,
): { bound: number; widened: boolean; note: string } {
  const bound = Math.max(requested, 3 * worstNoise);
  const widened = bound > requested;
  return {
    bound,
    widened,
    note: widened
      ? ` (The requested ${pct(requested)} ${what} is tighter than 3× the observed noise of the medians, ${pct(worstNoise)}: judged at ± ${pct(bound)}.)`
      : "",
  };
}

/**
 * Keeps a failing verdict (a regression, a missed target) only when a fresh re-run reaches the same
 * one, and says so in its explanation (with the re-run's interval); otherwise the verdict becomes
 * inconclusive and says why.
 * @param verdict - the first measurement's verdict
 * @param confirmation - the re-run's verdict, or undefined when the re-run could not be measured
 * @returns the verdict to report
 */
export function confirmed(verdict: Verdict, confirmation: Verdict | undefined): Verdict {
  if (confirmation?.kind === verdict.kind)
    return {
      ...verdict,
      explanation: `${verdict.explanation} Re-measured from scratch: ${confirmation.kind} again (${confirmation.ratio.estimate.toFixed(3)} [${confirmation.ratio.low.toFixed(3)}, ${confirmation.ratio.high.toFixed(3)}]).`,
    };
  return {
    ...verdict,
    kind: "inconclusive",
    explanation: `${verdict.explanation} A re-run did not confirm it (${confirmation?.kind ?? "it could not be measured"}): treated as noise.`,
  };
}

/** Everything a verdict reports, whatever it decides. */
function summarise(
  base: readonly number[],
  head: readonly number[],
  confidence = 0.95,
  anchors?: DecisionOptions["anchors"],
  processes: Processes = {},
  families?: { readonly base: string; readonly head: string; readonly aligned?: boolean },
): {
  common: Omit<Verdict, "kind" | "explanation" | "bounds">;
  worstNoise: number;
  interval: string;
} {
  const set = (
    values: readonly number[],
    of: readonly number[] | undefined,
    family: string | undefined,
  ): SampleSet => ({
    values,
    ...(of === undefined ? {} : { processes: of }),
    ...(family === undefined ? {} : { family }),
    ...(families?.aligned === true ? { aligned: true } : {}),
  });
  const sets = {
    base: set(base, processes.base, families?.base),
    head: set(head, processes.head, families?.head),
    baseAnchor:
      anchors === undefined ? undefined : set(anchors.base, processes.baseAnchor, families?.base),
    headAnchor:
      anchors === undefined ? undefined : set(anchors.head, processes.headAnchor, families?.head),
  };
  const ratio =
    sets.baseAnchor === undefined || sets.headAnchor === undefined
      ? bootstrapMedians(
          [sets.base, sets.head],
          (m) => (m[1] as number) / (m[0] as number),
          confidence,
        )
      : bootstrapMedians(
          [sets.base, sets.baseAnchor, sets.head, sets.headAnchor],
          (m) => (m[2] as number) / (m[3] as number) / ((m[0] as number) / (m[1] as number)),
          confidence,
        );
  // With anchors, the rank test and the noise are taken on samples scaled by their run's anchor.
  const scaled = (values: readonly number[], anchor: readonly number[] | undefined): number[] => {
    const m = anchor === undefined ? 1 : median(anchor);
    return values.map((v) => v / m);
  };
  const b = scaled(base, anchors?.base);
  const h = scaled(head, anchors?.head);
  const { p } = mannWhitney(b, h);
  const noise = { base: relativeNoise(b), head: relativeNoise(h) };
  // The noise that matters for a verdict is that of the medians being compared (≈ 1.25 × σ / √n,
  // or the spread between processes when there are several). With anchors, each side's anchor
  // median adds its own.
  const side = (own: SampleSet, anchor: SampleSet | undefined): number =>
    anchor === undefined
      ? medianNoise(own)
      : families === undefined
        ? Math.hypot(medianNoise(own), medianNoise(anchor))
        : pairedRatioNoise(anchor, own);
  // Measured side by side (a target against its anchor), only the ratio's noise matters.
  const worstNoise =
    families !== undefined && families.base === families.head && anchors === undefined
      ? pairedRatioNoise(sets.base, sets.head)
      : Math.max(side(sets.base, sets.baseAnchor), side(sets.head, sets.headAnchor));
  return {
    common: {
      ratio,
      speedupPercent: (1 / ratio.estimate - 1) * 100,
      p,
      noise,
      medians: { base: median(base), head: median(head) },
      samples: { base: base.length, head: head.length },
    },
    worstNoise,
    interval: `${anchors === undefined ? "head/base" : "head/base relative to the anchor"} ${ratio.estimate.toFixed(3)} [${ratio.low.toFixed(3)}, ${ratio.high.toFixed(3)}]`,
  };
}

/**
 * Decides: **regression** when the whole interval is slower than the threshold (and Mann–Whitney
 * agrees), **improvement** when the whole interval is faster than the threshold, **no change**
 * when the whole interval lies within ± threshold, and **inconclusive** otherwise — never a silent
 * pass. With `expectFaster`: **improvement holds** when the whole interval is at least that much
 * faster, **regression** when it is slower than the threshold, **improvement does not hold** when
 * the whole interval falls short of the expected speed-up, **inconclusive** when it straddles it. A threshold tighter than 3× the observed noise of the medians (the per-sample noise over √n)
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
  const { common, worstNoise, interval } = summarise(
    base,
    head,
    options.confidence,
    options.anchors,
    options.processes,
    options.paired === true
      ? { base: "base", head: "head" }
      : alignedSteps(base, head, options)
        ? { base: "steps", head: "steps", aligned: true }
        : undefined,
  );
  const { ratio, p } = common;
  const { bound: threshold, widened, note } = widen(options.threshold, worstNoise, "threshold");
  const alpha = options.alpha ?? 0.01;
  // Aligned counts are compared step by step: with five steps no rank test reaches 1 % (a clean
  // 3 % rise in every step gives p = 0.012), and the counts' own noise (≤ 0.3 %) is what the
  // interval carries, so the interval decides alone.
  const significant = p < alpha || alignedSteps(base, head, options);
  const faster = 1 / (1 + threshold);
  const slower = { ratio: 1 + threshold, label: `+${pct(threshold)} slower` };
  const expectFaster = options.expectFaster;
  const expected = expectFaster === undefined ? "" : pct(expectFaster);
  // "30 % faster" = 1.3× the speed = ratio ≤ 0.769
  const needed = expectFaster === undefined ? undefined : 1 / (1 + expectFaster);
  const bounds: Bound[] = [
    needed === undefined
      ? { ratio: faster, label: `${pct(threshold)} faster` }
      : { ratio: needed, label: `≥ ${expected} faster` },
    slower,
  ];
  if (ratio.low > slower.ratio && significant)
    return {
      kind: "regression",
      ...common,
      bounds,
      explanation: `${interval}: head is slower by more than ${pct(threshold)} across the whole interval${needed === undefined ? "" : ` (the expected ${expected} speed-up does not hold)`}.${note}`,
    };
  if (needed !== undefined) {
    if (ratio.high <= needed && significant)
      return {
        kind: "improvement holds",
        ...common,
        bounds,
        explanation: `${interval}: the whole interval is at least ${expected} faster.`,
      };
    if (ratio.low > needed)
      return {
        kind: "improvement does not hold",
        ...common,
        bounds,
        explanation: `${interval}: head is not ${expected} faster anywhere in the interval; the expected speed-up does not hold.`,
      };
    return {
      kind: "inconclusive",
      ...common,
      bounds,
      explanation: `${interval}: the interval straddles the expected ${expected} speed-up; more samples or a quieter machine are needed.`,
    };
  }
  if (ratio.high < faster && significant)
    return {
      kind: "improvement",
      ...common,
      bounds,
      explanation: `${interval}: head is faster by more than ${pct(threshold)} across the whole interval.${note}`,
    };
  if (ratio.low >= faster && ratio.high <= slower.ratio)
    return widened
      ? {
          kind: "inconclusive",
          ...common,
          bounds,
          explanation: `${interval}: no change beyond ± ${pct(threshold)}, but a change within the requested ± ${pct(options.threshold)} cannot be told from noise on this machine.${note} Take more samples or reduce the noise to judge it.`,
        }
      : {
          kind: "no change",
          ...common,
          bounds,
          explanation: `${interval}: any difference is within ± ${pct(threshold)}.`,
        };
  const beyond = ratio.low > slower.ratio || ratio.high < faster;
  return {
    kind: "inconclusive",
    ...common,
    bounds,
    explanation: beyond
      ? `${interval}: the interval is beyond ± ${pct(threshold)}, but the rank test does not confirm it (p = ${p.toFixed(3)} ≥ ${alpha}); more samples are needed.${note}`
      : `${interval}: the interval crosses the ± ${pct(threshold)} bounds; more samples are needed.${note}`,
  };
}

/** Whether base and head are compared as index-aligned steps (see {@link DecisionOptions.aligned}). */
function alignedSteps(
  base: readonly number[],
  head: readonly number[],
  options: DecisionOptions,
): boolean {
  return options.aligned === true && options.anchors === undefined && base.length === head.length;
}

/**
 * A goal declared next to a benchmark, relative to its anchor: exactly one of `maxRatio` (our time
 * at most this multiple of the anchor's, e.g. 1.2) or `minSpeedup` (at least this many times faster
 * than the anchor, e.g. 10).
 */
export interface Target {
  /** Our median time ÷ the anchor's must be at most this. */
  readonly maxRatio?: number;
  /** The anchor's median time ÷ ours must be at least this. */
  readonly minSpeedup?: number;
}

/**
 * The largest allowed ours ÷ anchor ratio of a target, validated.
 * @param target - the declared target
 * @param where - what declared it, for the error message
 * @returns the ratio limit
 */
export function targetLimit(target: Target, where: string): number {
  const { maxRatio, minSpeedup } = target;
  if ((maxRatio === undefined) === (minSpeedup === undefined))
    throw new PerflayerConfigError(
      "ERR_INVALID_OPTION",
      `${where}: Expected a target with exactly one of maxRatio (e.g. 1.2) or minSpeedup (e.g. 10), got ${JSON.stringify(target)}.`,
    );
  const n = (maxRatio ?? minSpeedup) as number;
  if (!(Number.isFinite(n) && n > 0))
    throw new PerflayerConfigError(
      "ERR_INVALID_OPTION",
      `${where}: Expected the target's ${maxRatio === undefined ? "minSpeedup" : "maxRatio"} to be a positive number, got ${String(n)}.`,
    );
  return maxRatio ?? 1 / n;
}

/**
 * Whether a unit measures time (so "faster" applies), e.g. `ns/op`, `ms`, `µs/call`.
 * @param unit - the unit
 * @returns true for time units
 */
export function isTimeUnit(unit: string): boolean {
  return /^(ns|µs|us|ms|s)(\/[\w-]+)?$/.test(unit);
}

/**
 * Describes a target in words.
 * @param target - the declared target
 * @param unit - the benchmark's unit (time units read "faster", others "lower")
 * @returns e.g. "≤ 1.2× the anchor's time" or "≥ 10× faster than the anchor"
 */
export function describeTarget(target: Target, unit = "ns/op"): string {
  const time = isTimeUnit(unit);
  return target.maxRatio === undefined
    ? `≥ ${String(target.minSpeedup)}× ${time ? "faster" : "lower"} than the anchor`
    : `≤ ${String(target.maxRatio)}× the anchor's ${time ? "time" : "figure"}`;
}

/** How {@link judgeTarget} decides. */
export interface TargetOptions {
  /** A miss counts only beyond the target by more than this fraction (the profile's noise tolerance). */
  readonly tolerance: number;
  /** Confidence of the interval. @defaultValue 0.95 */
  readonly confidence?: number;
  /** The samples' unit, for the wording. @defaultValue "ns/op" */
  readonly unit?: string;
  /** Which process each sample came from. */
  readonly processes?: {
    /** Of the anchor's samples. */
    readonly anchor?: readonly number[];
    /** Of ours. */
    readonly ours?: readonly number[];
  };
  /** Ours and the anchor were measured side by side in the same processes. @defaultValue false */
  readonly paired?: boolean;
}

/**
 * Judges a declared target from interleaved samples of the anchor and of ours: **target met** when
 * the whole interval of ours ÷ anchor is within the target, **target missed** when the whole
 * interval is beyond it by more than the tolerance, **inconclusive** otherwise. A tolerance tighter
 * than 3× the observed noise of the medians is widened to that (and the explanation says so).
 * @param anchor - the anchor's samples (lower is better)
 * @param ours - our samples, same unit
 * @param target - the declared target
 * @param options - tolerance and confidence
 * @returns the verdict (base = anchor, head = ours)
 */
export function judgeTarget(
  anchor: readonly number[],
  ours: readonly number[],
  target: Target,
  options: TargetOptions,
): Verdict {
  const limit = targetLimit(target, "judgeTarget");
  const { common, worstNoise } = summarise(
    anchor,
    ours,
    options.confidence,
    undefined,
    {
      ...(options.processes?.anchor === undefined ? {} : { base: options.processes.anchor }),
      ...(options.processes?.ours === undefined ? {} : { head: options.processes.ours }),
    },
    options.paired === true ? { base: "run", head: "run" } : undefined,
  );
  const { ratio } = common;
  const goal = describeTarget(target, options.unit);
  const interval = `ours/anchor ${ratio.estimate.toFixed(3)} [${ratio.low.toFixed(3)}, ${ratio.high.toFixed(3)}]`;
  const { bound: tolerance, note } = widen(options.tolerance, worstNoise, "tolerance");
  const bounds = [
    { ratio: limit, label: `target ${goal}` },
    { ratio: limit * (1 + tolerance), label: `missed beyond +${pct(tolerance)}` },
  ];
  if (ratio.high <= limit)
    return { kind: "target met", ...common, bounds, explanation: `${interval}: within ${goal}.` };
  if (ratio.low > limit * (1 + tolerance))
    return {
      kind: "target missed",
      ...common,
      bounds,
      explanation: `${interval}: the whole interval misses ${goal} by more than the ${pct(tolerance)} tolerance.${note}`,
    };
  return {
    kind: "inconclusive",
    ...common,
    bounds,
    explanation:
      ratio.low > limit
        ? `${interval}: beyond ${goal}, but within the ${pct(tolerance)} noise tolerance.${note}`
        : `${interval}: the interval straddles ${goal}; more samples or a quieter machine are needed.`,
  };
}
