import { PerflayerConfigError } from "@perflayer/core";
import type { Runner, Sample } from "./runners.js";
import { bootstrapRatio, seededRandom } from "./statistics.js";
import { confirmed, decide } from "./verdict.js";
import type { DecisionOptions, PerSide, Verdict } from "./verdict.js";

/** Options of {@link compareRunners}. */
export interface CompareOptions {
  /** Measures the base. */
  readonly base: Runner;
  /** Measures the head. */
  readonly head: Runner;
  /** How to decide. */
  readonly decision: DecisionOptions;
  /** Rounds discarded at the start (warm-up). @defaultValue 1 */
  readonly warmup?: number;
  /** Rounds before the first look at the interval. @defaultValue 10 */
  readonly minSamples?: number;
  /** Most rounds. @defaultValue 60 */
  readonly maxSamples?: number;
  /** Time budget for sampling, in milliseconds. @defaultValue 60_000 */
  readonly maxTimeMs?: number;
  /** Stop once the interval's width is below this fraction of the estimate. @defaultValue 0.03 */
  readonly targetWidth?: number;
  /** Re-run a regression verdict once before reporting it. @defaultValue true */
  readonly confirmRegression?: boolean;
  /** Seed of the per-round order. @defaultValue 1 */
  readonly seed?: number;
  /** Called after each round. */
  readonly onRound?: (round: number, base: readonly Sample[], head: readonly Sample[]) => void;
}

/** What a comparison measured and concluded. */
export interface Comparison {
  /** The verdict (after confirmation, if a regression was found). */
  readonly verdict: Verdict;
  /** Base samples. */
  readonly base: readonly Sample[];
  /** Head samples. */
  readonly head: readonly Sample[];
  /** Whether a regression was re-run, and what the re-run said. */
  readonly confirmation?: Verdict;
  /** Median CPU time of each side, when the runner records it (a steadier second signal). */
  readonly cpu?: PerSide;
}

/**
 * Interleaved sampling: rounds of base and head in a random order each, warm-up discarded, until the
 * interval on the ratio of medians is tight enough, the round limit or the time budget.
 * @param options - runners and sampling budget
 * @returns the samples of each side, round by round (paired by index)
 */
export async function sampleInterleaved(
  options: CompareOptions,
): Promise<{ base: Sample[]; head: Sample[] }> {
  const minSamples = options.minSamples ?? 10;
  const maxSamples = options.maxSamples ?? 60;
  if (!(Number.isInteger(minSamples) && minSamples >= 3 && maxSamples >= minSamples)) {
    throw new PerflayerConfigError(
      "ERR_INVALID_OPTION",
      `compare: Expected 3 <= minSamples <= maxSamples, got minSamples ${minSamples}, maxSamples ${maxSamples}.`,
    );
  }
  const deadline = performance.now() + (options.maxTimeMs ?? 60_000);
  const random = seededRandom(options.seed ?? 1);
  const base: Sample[] = [];
  const head: Sample[] = [];
  // Interleaved rounds in a random order per round (ABBA-like), so drift and noise hit both alike.
  for (let round = 0; round < (options.warmup ?? 1) + maxSamples; round++) {
    const headFirst = random() < 0.5;
    const a = headFirst ? await options.head() : await options.base();
    const b = headFirst ? await options.base() : await options.head();
    if (round < (options.warmup ?? 1)) continue;
    base.push(headFirst ? b : a);
    head.push(headFirst ? a : b);
    options.onRound?.(base.length, base, head);
    if (base.length >= minSamples && base.length % 5 === 0) {
      const interval = bootstrapRatio(
        base.map((s) => s.value),
        head.map((s) => s.value),
        options.decision.confidence ?? 0.95,
        1_000,
      );
      if ((interval.high - interval.low) / interval.estimate < (options.targetWidth ?? 0.03)) break;
    }
    if (performance.now() > deadline && base.length >= minSamples) break;
  }
  return { base, head };
}

function medianCpu(samples: readonly Sample[]): number | undefined {
  const values = samples
    .map((s) => s.cpu)
    .filter((v): v is number => v !== undefined)
    .sort((a, b) => a - b);
  return values.length === 0 ? undefined : values[values.length >> 1];
}

/**
 * Measures base and head interleaved until the confidence interval is tight enough or the budget
 * runs out, decides, and re-runs a regression once to confirm it before reporting it.
 * @param options - the two runners, the decision rule and the sampling budget
 * @returns the verdict and the samples
 */
export async function compareRunners(options: CompareOptions): Promise<Comparison> {
  const { base, head } = await sampleInterleaved(options);
  const verdict = decide(
    base.map((s) => s.value),
    head.map((s) => s.value),
    options.decision,
  );
  const cpuBase = medianCpu(base);
  const cpuHead = medianCpu(head);
  const cpu =
    cpuBase !== undefined && cpuHead !== undefined ? { cpu: { base: cpuBase, head: cpuHead } } : {};
  if (verdict.kind === "regression" && options.confirmRegression !== false) {
    const again = await sampleInterleaved({ ...options, seed: (options.seed ?? 1) + 1 });
    const confirmation = decide(
      again.base.map((s) => s.value),
      again.head.map((s) => s.value),
      options.decision,
    );
    return { verdict: confirmed(verdict, confirmation), base, head, confirmation, ...cpu };
  }
  return { verdict, base, head, ...cpu };
}
