import { assertNumber } from "@perflayer/core";

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
 * How the adaptive algorithms turn completed tasks into latency signals: short-term windows, a
 * long-term RTT, and probes that re-measure it.
 */
export interface LatencyWindowOptions {
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
   * lower short-term RTT. @defaultValue 30_000
   */
  readonly longWindowMs?: number;
  /**
   * Time between probes, in ms: while queueing shows (short-term RTT above the long-term one), the
   * limit is held at 3/4 for two windows and the long-term RTT is re-measured, so it cannot drift
   * up with the queueing it is meant to detect. `Infinity` turns probes off. @defaultValue 5_000
   */
  readonly probeIntervalMs?: number;
}

/** The keys of {@link LatencyWindowOptions}, for option validation. */
export const LATENCY_WINDOW_KEYS: readonly string[] = [
  "windowMs",
  "minSamples",
  "longWindowMs",
  "probeIntervalMs",
];

/**
 * Validates {@link LimitBounds}.
 * @param options - the algorithm's options
 * @param context - where they were passed, for error messages
 * @returns the bounds with defaults
 */
export function limitBounds(
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

/**
 * Validates a multiplicative back-off applied on drops.
 * @param value - the option's value
 * @param context - where it was passed
 * @returns the ratio (default 0.9)
 */
export function backoffRatio(value: number | undefined, context: string): number {
  return assertNumber(value ?? 0.9, {
    name: "backoffRatio",
    min: 0.1,
    max: 0.99,
    fix: "Pass e.g. { backoffRatio: 0.9 }: the limit is multiplied by it after a window with drops.",
    context,
  });
}
