import { assertInteger, assertKnownKeys, assertNumber, invalid } from "@perflayer/core";

/** Run times kept: the most recent ones, within the window. */
const CAPACITY = 64;
/** New samples between recomputations of an estimate. */
const RECOMPUTE_EVERY = 8;

/**
 * The `k`-th smallest of `values[0..count)` (Hoare's selection; reorders them).
 * @returns the value
 */
function select(values: Float64Array, count: number, k: number): number {
  let lo = 0;
  let hi = count - 1;
  while (lo < hi) {
    const pivot = values[(lo + hi) >> 1] as number;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while ((values[i] as number) < pivot) i++;
      while ((values[j] as number) > pivot) j--;
      if (i <= j) {
        const swap = values[i] as number;
        values[i++] = values[j] as number;
        values[j--] = swap;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else break;
  }
  return values[k] as number;
}

/**
 * The run time a task is expected to need: a percentile of the run times (start to settle, never
 * queue wait) of the last 64 tasks that finished within `windowMs`. Until `minSamples` of them
 * have, there is no estimate (0), so a fresh optimizer, or one whose tasks all stopped starting,
 * starts tasks and measures again. Once there is one, it is recomputed every 8 new samples and
 * whenever a sample leaves the window.
 *
 * Every finished task is a sample, including one stopped early by its deadline or its caller:
 * its run time is then a lower bound of what it needed, which can only lower the estimate.
 *
 * @internal
 */
export class RunTimeEstimate {
  readonly #quantile: number;
  readonly #windowMs: number;
  readonly #minSamples: number;
  /** A ring of (finish time, run time) pairs. */
  readonly #ring = new Float64Array(CAPACITY * 2);
  #next = 0;
  #size = 0;
  /** Run times within the window, copied for selection. */
  readonly #scratch = new Float64Array(CAPACITY);
  #cached = 0;
  /** Samples recorded since the estimate was last computed. */
  #fresh = 0;
  /** When the cached estimate stops being valid because a sample leaves the window. */
  #validUntil = Number.NEGATIVE_INFINITY;
  #lastAt = Number.NEGATIVE_INFINITY;

  /**
   * @param percentile - which percentile of recent run times, in (0, 100]
   * @param windowMs - only tasks finished this recently count
   * @param minSamples - fewer samples than this in the window give no estimate
   */
  constructor(percentile: number, windowMs: number, minSamples: number) {
    this.#quantile = percentile / 100;
    this.#windowMs = windowMs;
    this.#minSamples = minSamples;
  }

  /**
   * Records one finished task.
   * @param runMs - its run time, from start to settle
   * @param now - when it settled
   */
  record(runMs: number, now: number): void {
    this.#lastAt = now;
    this.#ring[this.#next * 2] = now;
    this.#ring[this.#next * 2 + 1] = runMs;
    this.#next = (this.#next + 1) % CAPACITY;
    if (this.#size < CAPACITY) this.#size++;
    if (++this.#fresh >= RECOMPUTE_EVERY || this.#cached === 0)
      this.#validUntil = Number.NEGATIVE_INFINITY;
  }

  /** @returns when the newest sample was recorded (`-Infinity` before the first) */
  get lastAt(): number {
    return this.#lastAt;
  }

  /**
   * @param now - the time now
   * @returns the expected run time in ms, or 0 with too few recent samples
   */
  expected(now: number): number {
    if (now < this.#validUntil) return this.#cached;
    this.#fresh = 0;
    const from = now - this.#windowMs;
    const scratch = this.#scratch;
    let count = 0;
    let oldest = Number.POSITIVE_INFINITY;
    for (let i = 0; i < this.#size; i++) {
      const at = this.#ring[i * 2] as number;
      if (at <= from) continue;
      scratch[count++] = this.#ring[i * 2 + 1] as number;
      if (at < oldest) oldest = at;
    }
    if (count < this.#minSamples) {
      this.#cached = 0;
      // Valid until the next sample: none leaves the window in a way that could raise the count.
      this.#validUntil = Number.POSITIVE_INFINITY;
      return 0;
    }
    this.#cached = select(
      scratch,
      count,
      Math.min(count - 1, Math.ceil(this.#quantile * count) - 1),
    );
    this.#validUntil = oldest + this.#windowMs;
    return this.#cached;
  }
}

/**
 * How deadline-aware starts judge a task too late to start: see
 * `ResponseOptimizerOptions.deadlineAware`.
 */
export interface DeadlineAwareOptions {
  /**
   * Which percentile of recent run times a task is expected to need, in (0, 100]. A task with
   * less time left than the 90th percentile would miss its deadline more than one time in ten; a
   * lower percentile starts more such tasks (50: only those more likely to miss than to make it
   * are refused), a higher one keeps slots for tasks with more time left.
   * @defaultValue 90
   */
  readonly percentile?: number;
  /** Only tasks finished this recently (ms) count towards the estimate. @defaultValue 10_000 */
  readonly windowMs?: number;
  /**
   * With fewer finished tasks than this in the window there is no estimate and every task with
   * time left starts. @defaultValue 10
   */
  readonly minSamples?: number;
}

/**
 * Validates the `deadlineAware` option.
 * @internal
 * @param option - the option as given
 * @param context - where, for error messages
 * @returns the estimate, or `undefined` when switched off
 */
export function runTimeEstimate(
  option: boolean | DeadlineAwareOptions | undefined,
  context: string,
): RunTimeEstimate | undefined {
  if (option === false) return undefined;
  if (option !== undefined && option !== true && (typeof option !== "object" || option === null))
    throw invalid({
      name: "deadlineAware",
      expected: "a boolean or { percentile, windowMs, minSamples }",
      got: option,
      fix: "Pass e.g. { deadlineAware: { percentile: 90 } }, or false to start every task that has time left.",
      context,
    });
  const given = typeof option === "object" ? option : {};
  assertKnownKeys(given, ["percentile", "windowMs", "minSamples"], `${context} deadlineAware`);
  return new RunTimeEstimate(
    assertNumber(given.percentile ?? 90, {
      name: "deadlineAware.percentile",
      min: 0,
      minExclusive: true,
      max: 100,
      fix: "Pass e.g. { deadlineAware: { percentile: 90 } }.",
      context,
    }),
    assertNumber(given.windowMs ?? 10_000, {
      name: "deadlineAware.windowMs",
      min: 0,
      minExclusive: true,
      fix: "Pass e.g. { deadlineAware: { windowMs: 10_000 } }.",
      context,
    }),
    assertInteger(given.minSamples ?? 10, {
      name: "deadlineAware.minSamples",
      min: 1,
      fix: "Pass e.g. { deadlineAware: { minSamples: 10 } }.",
      context,
    }),
  );
}
