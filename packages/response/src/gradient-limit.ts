import { assertKnownKeys, assertNumber } from "@perflayer/core";
import { LATENCY_WINDOW_KEYS, backoffRatio, limitBounds } from "./limit-algorithm.js";
import type { LatencyWindowOptions, LimitAlgorithm, LimitBounds } from "./limit-algorithm.js";
import { RttTracker } from "./rtt-tracker.js";
import type { RttWindow } from "./rtt-tracker.js";

/** Options of {@link GradientLimit}. */
export interface GradientLimitOptions extends LimitBounds, LatencyWindowOptions {
  /**
   * How far the short-term RTT may rise above the long-term one before the limit shrinks; also
   * the factor the limit grows by per window while no queueing shows. The limit settles near
   * `tolerance × capacity + queueSize`. @defaultValue 1.1
   */
  readonly tolerance?: number;
  /**
   * Tasks allowed to queue in the backend beyond what the gradient says, added at every update:
   * it lets the limit probe upwards and keeps small limits from sticking. @defaultValue 1
   */
  readonly queueSize?: number;
  /**
   * Time constant of the limit's smoothing, in ms: each window moves the limit `1 − e^(−window /
   * smoothingMs)` of the way to its new target (0: all the way). @defaultValue 200
   */
  readonly smoothingMs?: number;
  /** Multiplier applied after a window with drops. @defaultValue 0.9 */
  readonly backoffRatio?: number;
}

/**
 * A latency-gradient limit after Netflix's Gradient2, the default choice. Once per window it
 * compares the short-term RTT (the window's mean run time) with the long-term RTT (the backend's
 * latency without queueing, see {@link LatencyWindowOptions}):
 * `gradient = clamp(tolerance × long / short, 0.5, tolerance)` and the limit moves (smoothed)
 * towards `limit × gradient + queueSize`. When the backend queues, the short-term RTT rises and
 * the limit shrinks towards the capacity; when it does not, the limit grows. A window with drops
 * multiplies it by `backoffRatio`. It grows only while at least half of it is in use, and nothing
 * stops it from shrinking.
 */
export class GradientLimit implements LimitAlgorithm {
  #estimate: number;
  readonly #min: number;
  readonly #max: number;
  readonly #tolerance: number;
  readonly #queueSize: number;
  readonly #smoothingMs: number;
  readonly #backoff: number;
  readonly #tracker: RttTracker;

  /** @param options - bounds, tolerance, queue allowance, smoothing and windows */
  constructor(options: GradientLimitOptions = {}) {
    const context = "new GradientLimit()";
    assertKnownKeys(
      options,
      [
        "initial",
        "min",
        "max",
        "tolerance",
        "queueSize",
        "smoothingMs",
        "backoffRatio",
        ...LATENCY_WINDOW_KEYS,
      ],
      context,
    );
    const { initial, min, max } = limitBounds(options, context);
    this.#estimate = initial;
    this.#min = min;
    this.#max = max;
    this.#tolerance = assertNumber(options.tolerance ?? 1.1, {
      name: "tolerance",
      min: 1,
      max: 2,
      fix: "Pass e.g. { tolerance: 1.1 }: the short-term RTT may exceed the long-term one by 10 %.",
      context,
    });
    this.#queueSize = assertNumber(options.queueSize ?? 1, { name: "queueSize", min: 0, context });
    this.#smoothingMs = assertNumber(options.smoothingMs ?? 200, {
      name: "smoothingMs",
      min: 0,
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
    let next: number;
    if (window.drops > 0) next = this.#estimate * this.#backoff;
    else {
      const ratio = (this.#tolerance * window.longRtt) / window.shortRtt;
      const gradient = Math.max(0.5, Math.min(this.#tolerance, ratio));
      const target = Math.floor(this.#estimate) * gradient + this.#queueSize;
      // Not using the limit (too little demand): latency says nothing about room above it.
      if (target > this.#estimate && window.maxInflight < this.#estimate / 2) return;
      const share = 1 - Math.exp(-window.durationMs / this.#smoothingMs);
      next = this.#estimate + (target - this.#estimate) * share;
    }
    next = Math.max(this.#min, Math.min(this.#max, next));
    if (next < this.#estimate) this.#tracker.cut(now);
    this.#estimate = next;
  }
}
