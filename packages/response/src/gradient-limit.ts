import { assertKnownKeys, assertNumber } from "@perflayer/core";
import { ADAPTIVE_LIMIT_KEYS } from "./limit-algorithm.js";
import type { AdaptiveLimitOptions, LimitAlgorithm } from "./limit-algorithm.js";
import { WindowedLimit } from "./windowed-limit.js";
import type { RttWindow } from "./windowed-limit.js";

/** Options of {@link GradientLimit}. */
export interface GradientLimitOptions extends AdaptiveLimitOptions {
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
}

/**
 * A latency-gradient limit after Netflix's Gradient2, the default choice. Once per window it
 * compares the short-term RTT (the window's mean run time) with the long-term RTT (the backend's
 * latency without queueing, see {@link AdaptiveLimitOptions}):
 * `gradient = clamp(tolerance × long / short, 0.5, tolerance)`, and the limit moves (smoothed)
 * towards `limit × gradient + queueSize`. When the backend queues, the short-term RTT rises and
 * the limit shrinks towards the capacity; when it does not, the limit grows. A window with drops
 * multiplies it by `backoffRatio`.
 */
export class GradientLimit implements LimitAlgorithm {
  readonly #tolerance: number;
  readonly #queueSize: number;
  readonly #smoothingMs: number;
  readonly #windowed: WindowedLimit;

  /** @param options - bounds, tolerance, queue allowance, smoothing, windows and probes */
  constructor(options: GradientLimitOptions = {}) {
    const context = "new GradientLimit()";
    assertKnownKeys(
      options,
      [...ADAPTIVE_LIMIT_KEYS, "tolerance", "queueSize", "smoothingMs"],
      context,
    );
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
    const ratio = (this.#tolerance * window.longRtt) / window.shortRtt;
    const gradient = Math.max(0.5, Math.min(this.#tolerance, ratio));
    const target = Math.floor(estimate) * gradient + this.#queueSize;
    const share = 1 - Math.exp(-window.durationMs / this.#smoothingMs);
    return estimate + (target - estimate) * share;
  }
}
