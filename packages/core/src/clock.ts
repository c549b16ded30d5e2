import { performance } from "node:perf_hooks";

/** A scheduled timer; `cancel()` is idempotent. */
export interface TimerHandle {
  /** Cancels the timer. Calling it again, or after the timer fired, does nothing. */
  cancel(): void;
}

/** Options for {@link Clock.setTimeout} and {@link Clock.setInterval}. */
export interface TimerOptions {
  /**
   * Keep the process alive while this timer is pending. The rule every perflayer package follows:
   * a timer that settles a promise a caller awaits (a timeout, a retry delay, a pool acquire) is
   * ref'd, so an awaited wait is never cut short by the process exiting; a housekeeping timer
   * (sweeps, sampling, evaluation, aging) is not, so a service can exit without calling `close()`.
   * @defaultValue false
   */
  readonly ref?: boolean;
}

/**
 * How perflayer reads time and sets timers. Every time-dependent class takes a `clock` option so
 * tests can pass a {@link ManualClock} and never sleep.
 *
 * Delays of any length are honoured: Node's own timers overflow past {@link MAX_TIMER_DELAY_MS}
 * (about 24.8 days) and fire after 1 ms, so {@link systemClock} chains longer delays.
 */
export interface Clock {
  /** Monotonic time in milliseconds (fractional), for durations. Never goes backwards. */
  now(): number;
  /** Wall-clock time in epoch milliseconds, for timestamps shown to people. */
  wallTime(): number;
  /**
   * Calls `callback` once after `delayMs`.
   * @param callback - what to run
   * @param delayMs - delay in milliseconds (>= 0; any length, `Infinity` never fires)
   * @param options - `ref` to keep the process alive
   */
  setTimeout(callback: () => void, delayMs: number, options?: TimerOptions): TimerHandle;
  /**
   * Calls `callback` every `intervalMs` until cancelled.
   * @param callback - what to run
   * @param intervalMs - period in milliseconds (> 0; any length)
   * @param options - `ref` to keep the process alive
   */
  setInterval(callback: () => void, intervalMs: number, options?: TimerOptions): TimerHandle;
}

/**
 * The longest delay Node's `setTimeout` takes (2³¹−1 ms, about 24.8 days); a longer one overflows
 * and fires after 1 ms. {@link systemClock} splits longer delays into hops of at most this.
 */
export const MAX_TIMER_DELAY_MS: number = 2 ** 31 - 1;

function native(timer: NodeJS.Timeout, ref: boolean): NodeJS.Timeout {
  if (!ref) timer.unref();
  return timer;
}

/**
 * A timeout of any length: hops of at most {@link MAX_TIMER_DELAY_MS} until the delay is used up,
 * so the chain is as precise as Node's own timers (one per hop), never the 1 ms of an overflow.
 */
function chainedTimeout(callback: () => void, delayMs: number, ref: boolean): TimerHandle {
  let remaining = delayMs;
  let timer: NodeJS.Timeout;
  const hop = (): void => {
    const next = Math.min(remaining, MAX_TIMER_DELAY_MS);
    remaining -= next;
    timer = native(setTimeout(remaining > 0 ? hop : callback, next), ref);
  };
  hop();
  return { cancel: () => clearTimeout(timer) };
}

/** An interval longer than Node allows: one chained timeout per period. */
function chainedInterval(callback: () => void, intervalMs: number, ref: boolean): TimerHandle {
  let current: TimerHandle;
  const period = (): void => {
    current = chainedTimeout(
      () => {
        period(); // re-armed first, so a callback that cancels the interval stops it
        callback();
      },
      intervalMs,
      ref,
    );
  };
  period();
  return { cancel: () => current.cancel() };
}

function timeoutOf(callback: () => void, delayMs: number, options?: TimerOptions): TimerHandle {
  const ref = options?.ref === true;
  if (delayMs > MAX_TIMER_DELAY_MS) return chainedTimeout(callback, delayMs, ref);
  const timer = native(setTimeout(callback, delayMs), ref);
  return { cancel: () => clearTimeout(timer) };
}

function intervalOf(callback: () => void, intervalMs: number, options?: TimerOptions): TimerHandle {
  const ref = options?.ref === true;
  if (intervalMs > MAX_TIMER_DELAY_MS) return chainedInterval(callback, intervalMs, ref);
  const timer = native(setInterval(callback, intervalMs), ref);
  return { cancel: () => clearInterval(timer) };
}

/**
 * The real clock: `performance.now()` for durations, `Date.now()` for timestamps, unref'd timers
 * unless `{ ref: true }`, and delays of any length (longer than Node's 2³¹−1 ms are chained).
 */
export const systemClock: Clock = Object.freeze({
  now: (): number => performance.now(),
  wallTime: (): number => Date.now(),
  setTimeout: timeoutOf,
  setInterval: intervalOf,
});
