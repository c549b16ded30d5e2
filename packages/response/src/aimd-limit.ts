import { assertKnownKeys, assertNumber } from "@perflayer/core";
import { LATENCY_WINDOW_KEYS, backoffRatio, limitBounds } from "./limit-algorithm.js";
import type { LatencyWindowOptions, LimitAlgorithm, LimitBounds } from "./limit-algorithm.js";
import { RttTracker } from "./rtt-tracker.js";
import type { RttWindow } from "./rtt-tracker.js";

/** Options of {@link AimdLimit}. */
export interface AimdLimitOptions extends LimitBounds, LatencyWindowOptions {
  /** Multiplier applied after a window with drops or with latency above the threshold. @defaultValue 0.9 */
  readonly backoffRatio?: number;
  /**
   * The latency threshold, relative to the long-term RTT: a window whose short-term RTT exceeds
   * `tolerance × long-term RTT` backs off as a drop does. @defaultValue 1.1
   */
  readonly tolerance?: number;
}

/**
 * Additive increase, multiplicative decrease, once per window: +1 while at least half the limit is
 * in use and latency is within the threshold; × `backoffRatio` after a window with drops (timeouts
 * on the backend's account, overload errors) or with a short-term RTT above `tolerance` × the
 * long-term RTT (the backend queues). It saw-tooths just above the capacity.
 */
export class AimdLimit implements LimitAlgorithm {
  #estimate: number;
  readonly #min: number;
  readonly #max: number;
  readonly #backoff: number;
  readonly #tolerance: number;
  readonly #tracker: RttTracker;

  /** @param options - bounds, back-off, latency threshold and windows */
  constructor(options: AimdLimitOptions = {}) {
    const context = "new AimdLimit()";
    assertKnownKeys(
      options,
      ["initial", "min", "max", "backoffRatio", "tolerance", ...LATENCY_WINDOW_KEYS],
      context,
    );
    const { initial, min, max } = limitBounds(options, context);
    this.#estimate = initial;
    this.#min = min;
    this.#max = max;
    this.#backoff = backoffRatio(options.backoffRatio, context);
    this.#tolerance = assertNumber(options.tolerance ?? 1.1, {
      name: "tolerance",
      min: 1,
      minExclusive: true,
      fix: "Pass e.g. { tolerance: 1.1 }: back off once latency is 10 % above its long-term level.",
      context,
    });
    this.#tracker = new RttTracker(
      { longWindowMs: 10_000, probeIntervalMs: 2_000, ...options },
      context,
    );
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
    if (window.drops > 0 || window.shortRtt > this.#tolerance * window.longRtt) {
      this.#estimate = Math.max(this.#min, this.#estimate * this.#backoff);
      this.#tracker.cut(now);
    } else if (window.maxInflight >= this.#estimate / 2) {
      this.#estimate = Math.min(this.#max, this.#estimate + 1);
    }
  }
}
