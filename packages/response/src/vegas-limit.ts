import { assertKnownKeys, assertNumber } from "@perflayer/core";
import { LATENCY_WINDOW_KEYS, backoffRatio, limitBounds } from "./limit-algorithm.js";
import type { LatencyWindowOptions, LimitAlgorithm, LimitBounds } from "./limit-algorithm.js";
import { RttTracker } from "./rtt-tracker.js";
import type { RttWindow } from "./rtt-tracker.js";

/** Options of {@link VegasLimit}. */
export interface VegasLimitOptions extends LimitBounds, LatencyWindowOptions {
  /**
   * The limit grows while fewer than `max(0.5, alpha × limit)` tasks queue in the backend; it also
   * sets the step: `max(1, alpha × limit)` per window. @defaultValue 0.05
   */
  readonly alpha?: number;
  /** The limit shrinks while more than `max(1.5, beta × limit)` tasks queue in the backend. @defaultValue 0.1 */
  readonly beta?: number;
  /** Multiplier applied after a window with drops. @defaultValue 0.9 */
  readonly backoffRatio?: number;
}

/**
 * A queue-estimating limit after TCP Vegas and Netflix's `VegasLimit`. Once per window it
 * estimates how many tasks wait inside the backend, `limit × (1 − long-term RTT / short-term
 * RTT)`, and steps the limit up while that is below the `alpha` threshold, down while it is above
 * the `beta` threshold, and holds it in between; a window with drops multiplies it by
 * `backoffRatio`.
 */
export class VegasLimit implements LimitAlgorithm {
  #estimate: number;
  readonly #min: number;
  readonly #max: number;
  readonly #alpha: number;
  readonly #beta: number;
  readonly #backoff: number;
  readonly #tracker: RttTracker;

  /** @param options - bounds, queue thresholds, back-off and windows */
  constructor(options: VegasLimitOptions = {}) {
    const context = "new VegasLimit()";
    assertKnownKeys(
      options,
      ["initial", "min", "max", "alpha", "beta", "backoffRatio", ...LATENCY_WINDOW_KEYS],
      context,
    );
    const { initial, min, max } = limitBounds(options, context);
    this.#estimate = initial;
    this.#min = min;
    this.#max = max;
    this.#alpha = assertNumber(options.alpha ?? 0.05, {
      name: "alpha",
      min: 0,
      max: 1,
      context,
    });
    this.#beta = assertNumber(options.beta ?? 0.1, {
      name: "beta",
      min: this.#alpha,
      max: 1,
      fix: "Pass e.g. { alpha: 0.05, beta: 0.1 }: beta is at least alpha.",
      context,
    });
    this.#backoff = backoffRatio(options.backoffRatio, context);
    this.#tracker = new RttTracker(options, context);
  }

  /** @returns the current limit */
  get limit(): number {
    return this.#tracker.enforced(this.#estimate, this.#min);
  }

  /**
   * @param rttMs - the task's run time, from start to settle
   * @param inflight - tasks in flight, itself included
   * @param dropped - whether the backend dropped it
   * @param now - when it completed (ms)
   * @returns the new limit
   */
  update(rttMs: number, inflight: number, dropped: boolean, now: number): number {
    const window = this.#tracker.add(rttMs, inflight, dropped, now);
    if (window !== undefined) this.#adjust(window, now);
    return this.limit;
  }

  #adjust(window: RttWindow, now: number): void {
    const limit = Math.floor(this.#estimate);
    const step = Math.max(1, this.#alpha * limit);
    let next = this.#estimate;
    if (window.drops > 0) next = this.#estimate * this.#backoff;
    else {
      const queued = limit * (1 - window.longRtt / window.shortRtt);
      if (queued > Math.max(1.5, this.#beta * limit)) next = this.#estimate - step;
      else if (queued < Math.max(0.5, this.#alpha * limit) && window.maxInflight >= limit / 2)
        next = this.#estimate + step;
    }
    next = Math.max(this.#min, Math.min(this.#max, next));
    if (next < this.#estimate) this.#tracker.cut(now);
    this.#estimate = next;
  }
}
