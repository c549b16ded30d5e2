import { assertKnownKeys, assertNumber } from "@perflayer/core";
import { ADAPTIVE_LIMIT_KEYS } from "./limit-algorithm.js";
import type { AdaptiveLimitOptions, LimitAlgorithm } from "./limit-algorithm.js";
import { WindowedLimit } from "./windowed-limit.js";
import type { RttWindow } from "./windowed-limit.js";

/** Options of {@link AimdLimit}. */
export interface AimdLimitOptions extends AdaptiveLimitOptions {
  /**
   * The latency threshold, relative to the long-term RTT: a window whose short-term RTT exceeds
   * `tolerance × long-term RTT` backs off as a window with drops does. @defaultValue 1.1
   */
  readonly tolerance?: number;
}

/**
 * Additive increase, multiplicative decrease, once per window: +1 while latency is within the
 * threshold; × `backoffRatio` after a window with drops (timeouts on the backend's account,
 * overload errors) or with a short-term RTT above `tolerance` × the long-term RTT (the backend
 * queues). It saw-tooths just above the capacity. Its long-term RTT follows latency faster
 * (`longWindowMs` 10 s, probes every 2 s), since a back-off on stale latency compounds.
 */
export class AimdLimit implements LimitAlgorithm {
  readonly #tolerance: number;
  readonly #windowed: WindowedLimit;

  /** @param options - bounds, back-off, latency threshold, windows and probes */
  constructor(options: AimdLimitOptions = {}) {
    const context = "new AimdLimit()";
    assertKnownKeys(options, [...ADAPTIVE_LIMIT_KEYS, "tolerance"], context);
    this.#tolerance = assertNumber(options.tolerance ?? 1.1, {
      name: "tolerance",
      min: 1,
      minExclusive: true,
      fix: "Pass e.g. { tolerance: 1.1 }: back off once latency is 10 % above its long-term level.",
      context,
    });
    this.#windowed = new WindowedLimit(
      {
        ...options,
        longWindowMs: options.longWindowMs ?? 10_000,
        probeIntervalMs: options.probeIntervalMs ?? 2_000,
      },
      context,
      (window, estimate) => this.#next(window, estimate),
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
    return window.shortRtt > this.#tolerance * window.longRtt
      ? estimate * this.#windowed.backoffRatio
      : estimate + 1;
  }
}
