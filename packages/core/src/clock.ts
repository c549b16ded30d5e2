import { performance } from "node:perf_hooks";

/** A scheduled timer; `cancel()` is idempotent. */
export interface TimerHandle {
  /** Cancels the timer. Calling it again, or after the timer fired, does nothing. */
  cancel(): void;
}

/** Options for {@link Clock.setTimeout} and {@link Clock.setInterval}. */
export interface TimerOptions {
  /**
   * Keep the process alive while this timer is pending. perflayer's own housekeeping timers never
   * do, so a service can exit without calling `close()` first.
   * @defaultValue false
   */
  readonly ref?: boolean;
}

/**
 * How perflayer reads time and sets timers. Every time-dependent class takes a `clock` option so
 * tests can pass a {@link ManualClock} and never sleep.
 */
export interface Clock {
  /** Monotonic time in milliseconds (fractional), for durations. Never goes backwards. */
  now(): number;
  /** Wall-clock time in epoch milliseconds, for timestamps shown to people. */
  wallTime(): number;
  /**
   * Calls `callback` once after `delayMs`.
   * @param callback - what to run
   * @param delayMs - delay in milliseconds (>= 0)
   * @param options - `ref` to keep the process alive
   */
  setTimeout(callback: () => void, delayMs: number, options?: TimerOptions): TimerHandle;
  /**
   * Calls `callback` every `intervalMs` until cancelled.
   * @param callback - what to run
   * @param intervalMs - period in milliseconds (> 0)
   * @param options - `ref` to keep the process alive
   */
  setInterval(callback: () => void, intervalMs: number, options?: TimerOptions): TimerHandle;
}

function handleOf(
  timer: NodeJS.Timeout,
  clear: (timer: NodeJS.Timeout) => void,
  ref: boolean,
): TimerHandle {
  if (!ref) timer.unref();
  return { cancel: () => clear(timer) };
}

/** The real clock: `performance.now()` for durations, `Date.now()` for timestamps, unref'd timers. */
export const systemClock: Clock = Object.freeze({
  now: (): number => performance.now(),
  wallTime: (): number => Date.now(),
  setTimeout: (callback: () => void, delayMs: number, options?: TimerOptions): TimerHandle =>
    handleOf(setTimeout(callback, delayMs), clearTimeout, options?.ref === true),
  setInterval: (callback: () => void, intervalMs: number, options?: TimerOptions): TimerHandle =>
    handleOf(setInterval(callback, intervalMs), clearInterval, options?.ref === true),
});
