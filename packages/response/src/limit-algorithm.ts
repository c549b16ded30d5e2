import { assertKnownKeys, assertNumber } from "@perflayer/core";

/**
 * Decides the concurrency limit from what completed tasks experienced (Netflix
 * concurrency-limits' model). Implement it to plug in your own algorithm.
 */
export interface LimitAlgorithm {
  /** The current limit. */
  readonly limit: number;
  /**
   * Feeds one completed task.
   * @param rttMs - its run time
   * @param inflight - tasks running when it completed
   * @param dropped - it timed out or failed with an overload signal
   * @returns the new limit
   */
  update(rttMs: number, inflight: number, dropped: boolean): number;
}

/** Bounds shared by the adaptive algorithms. */
export interface LimitBounds {
  /** Starting limit. @defaultValue 10 */
  readonly initial?: number;
  /** Smallest limit. @defaultValue 1 */
  readonly min?: number;
  /** Largest limit. @defaultValue 200 */
  readonly max?: number;
}

function bounds(
  options: LimitBounds,
  context: string,
): { initial: number; min: number; max: number } {
  const min = assertNumber(options.min ?? 1, { name: "min", min: 1, context });
  const max = assertNumber(options.max ?? 200, { name: "max", min, context });
  const initial = assertNumber(options.initial ?? Math.min(10, max), {
    name: "initial",
    min,
    max,
    context,
  });
  return { initial, min, max };
}

/** Options of {@link AimdLimit}. */
export interface AimdLimitOptions extends LimitBounds {
  /** Multiplier applied on a drop. @defaultValue 0.9 */
  readonly backoffRatio?: number;
}

/**
 * Additive increase, multiplicative decrease: +1 after a success while the limit is in use (at least
 * half of it in flight), × `backoffRatio` after a drop (timeout or overload).
 */
export class AimdLimit implements LimitAlgorithm {
  #limit: number;
  readonly #min: number;
  readonly #max: number;
  readonly #backoff: number;

  /** @param options - bounds and back-off */
  constructor(options: AimdLimitOptions = {}) {
    assertKnownKeys(options, ["initial", "min", "max", "backoffRatio"], "new AimdLimit()");
    const { initial, min, max } = bounds(options, "new AimdLimit()");
    this.#limit = initial;
    this.#min = min;
    this.#max = max;
    this.#backoff = assertNumber(options.backoffRatio ?? 0.9, {
      name: "backoffRatio",
      min: 0.1,
      max: 0.99,
      context: "new AimdLimit()",
    });
  }

  /** @returns the current limit */
  get limit(): number {
    return Math.floor(this.#limit);
  }

  /**
   * @param _rttMs - unused by AIMD
   * @param inflight - tasks in flight
   * @param dropped - whether the task was dropped
   * @returns the new limit
   */
  update(_rttMs: number, inflight: number, dropped: boolean): number {
    if (dropped) this.#limit = Math.max(this.#min, this.#limit * this.#backoff);
    else if (inflight * 2 >= this.#limit) this.#limit = Math.min(this.#max, this.#limit + 1);
    return this.limit;
  }
}

/** Options of {@link GradientLimit}. */
export interface GradientLimitOptions extends LimitBounds {
  /** How much the short-term RTT may exceed the long-term one before the limit shrinks. @defaultValue 1.5 */
  readonly tolerance?: number;
  /** Weight of a new sample in the smoothed limit. @defaultValue 0.2 */
  readonly smoothing?: number;
  /** Samples in the long-term RTT average. @defaultValue 600 */
  readonly longWindow?: number;
}

/**
 * A latency-gradient limit after Netflix's Gradient2: compares a long-term average RTT with the
 * short-term one; when latency rises (queueing inside the service), the gradient falls below 1 and
 * the limit shrinks; a queue allowance of √limit lets it probe upwards.
 */
export class GradientLimit implements LimitAlgorithm {
  #limit: number;
  readonly #min: number;
  readonly #max: number;
  readonly #tolerance: number;
  readonly #smoothing: number;
  readonly #longFactor: number;
  #longRtt = 0;
  #shortRtt = 0;

  /** @param options - bounds, tolerance, smoothing and window */
  constructor(options: GradientLimitOptions = {}) {
    const context = "new GradientLimit()";
    assertKnownKeys(
      options,
      ["initial", "min", "max", "tolerance", "smoothing", "longWindow"],
      context,
    );
    const { initial, min, max } = bounds(options, context);
    this.#limit = initial;
    this.#min = min;
    this.#max = max;
    this.#tolerance = assertNumber(options.tolerance ?? 1.5, {
      name: "tolerance",
      min: 1,
      context,
    });
    this.#smoothing = assertNumber(options.smoothing ?? 0.2, {
      name: "smoothing",
      min: 0,
      minExclusive: true,
      max: 1,
      context,
    });
    this.#longFactor =
      2 / (assertNumber(options.longWindow ?? 600, { name: "longWindow", min: 1, context }) + 1);
  }

  /** @returns the current limit */
  get limit(): number {
    return Math.floor(this.#limit);
  }

  /**
   * @param rttMs - the task's run time
   * @param inflight - tasks in flight
   * @param dropped - whether the task was dropped
   * @returns the new limit
   */
  update(rttMs: number, inflight: number, dropped: boolean): number {
    if (this.#longRtt === 0) this.#longRtt = rttMs;
    this.#shortRtt = this.#shortRtt === 0 ? rttMs : this.#shortRtt * 0.9 + rttMs * 0.1;
    this.#longRtt = this.#longRtt * (1 - this.#longFactor) + rttMs * this.#longFactor;
    // Let the long-term average recover quickly once latency is back to normal.
    if (this.#longRtt / this.#shortRtt > 2) this.#longRtt *= 0.95;
    if (inflight < this.#limit / 2 && !dropped) return this.limit; // not using the limit: no signal
    const gradient = dropped
      ? 0.5
      : Math.max(0.5, Math.min(1, (this.#tolerance * this.#longRtt) / this.#shortRtt));
    const target = this.#limit * gradient + Math.sqrt(this.#limit);
    this.#limit = Math.max(
      this.#min,
      Math.min(this.#max, this.#limit * (1 - this.#smoothing) + target * this.#smoothing),
    );
    return this.limit;
  }
}
