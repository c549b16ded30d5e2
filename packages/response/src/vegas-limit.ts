import { assertKnownKeys, assertNumber } from "@perflayer/core";
import { ADAPTIVE_LIMIT_KEYS } from "./limit-algorithm.js";
import type { AdaptiveLimitOptions, LimitAlgorithm } from "./limit-algorithm.js";
import { WindowedLimit } from "./windowed-limit.js";
import type { RttWindow } from "./windowed-limit.js";

/** Options of {@link VegasLimit}. */
export interface VegasLimitOptions extends AdaptiveLimitOptions {
  /**
   * The limit grows while fewer than `max(0.5, alpha × limit)` tasks queue in the backend; it also
   * sets the step: `max(1, alpha × limit)` per window. @defaultValue 0.05
   */
  readonly alpha?: number;
  /** The limit shrinks while more than `max(1.5, beta × limit)` tasks queue in the backend. @defaultValue 0.1 */
  readonly beta?: number;
}

/**
 * A queue-estimating limit after TCP Vegas and Netflix's `VegasLimit`. Once per window it
 * estimates how many tasks wait inside the backend, `limit × (1 − long-term RTT / short-term
 * RTT)`, and steps the limit up while that is below the `alpha` threshold, down while it is above
 * the `beta` threshold, and holds it in between; a window with drops multiplies it by
 * `backoffRatio`.
 */
export class VegasLimit implements LimitAlgorithm {
  readonly #alpha: number;
  readonly #beta: number;
  readonly #windowed: WindowedLimit;

  /** @param options - bounds, queue thresholds, back-off, windows and probes */
  constructor(options: VegasLimitOptions = {}) {
    const context = "new VegasLimit()";
    assertKnownKeys(options, [...ADAPTIVE_LIMIT_KEYS, "alpha", "beta"], context);
    this.#alpha = assertNumber(options.alpha ?? 0.05, { name: "alpha", min: 0, max: 1, context });
    this.#beta = assertNumber(options.beta ?? 0.1, {
      name: "beta",
      min: this.#alpha,
      max: 1,
      fix: "Pass e.g. { alpha: 0.05, beta: 0.1 }: beta is at least alpha.",
      context,
    });
    this.#windowed = new WindowedLimit(options, context, (window, estimate) =>
      this.#next(window, estimate),
    );
  }

  /** @returns the current limit */
  get limit(): number {
    return this.#windowed.limit;
  }

  /**
   * @param rttMs - the task's run time, from start to settle
   * @param inflight - tasks in flight, itself included
   * @param dropped - whether the backend dropped it
   * @param now - when it completed (ms)
   * @returns the new limit
   */
  update(rttMs: number, inflight: number, dropped: boolean, now: number): number {
    return this.#windowed.update(rttMs, inflight, dropped, now);
  }

  #next(window: RttWindow, estimate: number): number {
    const limit = Math.floor(estimate);
    const step = Math.max(1, this.#alpha * limit);
    const queued = limit * (1 - window.longRtt / window.shortRtt);
    if (queued > Math.max(1.5, this.#beta * limit)) return estimate - step;
    if (queued < Math.max(0.5, this.#alpha * limit)) return estimate + step;
    return estimate;
  }
}
