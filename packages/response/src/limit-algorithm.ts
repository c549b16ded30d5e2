/**
 * Decides the concurrency limit from what completed tasks experienced (Netflix
 * concurrency-limits' model). Implement it to plug in your own algorithm.
 *
 * `ResponseOptimizer` feeds it what the backend did, never what its own queue did: the RTT is the
 * task's run time from start to settle (queue wait excluded), and a deadline that passed because
 * the task waited in the optimizer's queue is not a drop.
 */
export interface LimitAlgorithm {
  /** The current limit. */
  readonly limit: number;
  /**
   * Feeds one completed task.
   * @param rttMs - its run time, from start to settle (never its queue wait)
   * @param inflight - tasks running when it completed, itself included
   * @param dropped - the backend failed it: it timed out on its own account or failed with an
   *   overload signal
   * @param now - when it completed, on the optimizer's clock (ms)
   * @returns the new limit
   */
  update(rttMs: number, inflight: number, dropped: boolean, now: number): number;
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

/**
 * What the adaptive algorithms share: bounds, how completed tasks become latency signals
 * (short-term windows, a long-term RTT, probes that re-measure it) and the back-off on drops.
 */
export interface AdaptiveLimitOptions extends LimitBounds {
  /**
   * Shortest window of completed tasks, in ms; the limit moves once per window. A window also
   * lasts at least twice the short-term RTT, so a change of the limit has shown its effect.
   * @defaultValue 100
   */
  readonly windowMs?: number;
  /** Fewest completed tasks in a window. @defaultValue 10 */
  readonly minSamples?: number;
  /**
   * Time constant, in ms, of the long-term RTT's exponential average (time-based, not a number
   * of samples): how fast it follows latency that rises without queueing. It falls at once to a
   * lower short-term RTT. @defaultValue 30_000 (`AimdLimit`: 10_000)
   */
  readonly longWindowMs?: number;
  /**
   * Time between probes, in ms: while queueing shows (short-term RTT above the long-term one), the
   * limit is held at 3/4 of the tasks in flight for two windows and the long-term RTT is
   * re-measured, so it cannot drift up with the queueing it is meant to detect. `Infinity` turns
   * probes off. @defaultValue 5_000 (`AimdLimit`: 2_000)
   */
  readonly probeIntervalMs?: number;
  /** Multiplier applied after a window with drops. @defaultValue 0.9 */
  readonly backoffRatio?: number;
}

/** The keys of {@link AdaptiveLimitOptions}, for option validation. */
export const ADAPTIVE_LIMIT_KEYS: readonly string[] = [
  "initial",
  "min",
  "max",
  "windowMs",
  "minSamples",
  "longWindowMs",
  "probeIntervalMs",
  "backoffRatio",
];
