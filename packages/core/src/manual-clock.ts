import type { Clock, TimerHandle, TimerOptions } from "./clock.js";
import { assertNumber } from "./validation.js";

interface ManualTimer {
  due: number;
  seq: number;
  readonly callback: () => void;
  readonly intervalMs: number | undefined;
  readonly ref: boolean;
  cancelled: boolean;
}

/** Options for {@link ManualClock}. */
export interface ManualClockOptions {
  /**
   * The initial value of `now()`, in milliseconds.
   * @defaultValue 0
   */
  readonly startAt?: number;
  /**
   * The wall-clock time (epoch ms) that corresponds to `startAt`.
   * @defaultValue 1_700_000_000_000 (2023-11-14T22:13:20Z)
   */
  readonly wallStart?: number;
}

/**
 * A clock for tests: time moves only when you call {@link ManualClock.advance}. Due timers fire in
 * deadline order (ties in scheduling order), including timers scheduled by timers that fire during
 * the same advance.
 *
 * @example
 * ```ts
 * const clock = new ManualClock();
 * clock.setTimeout(() => console.log("fired at", clock.now()), 100);
 * clock.advance(250); // logs "fired at 100"; clock.now() is then 250
 * ```
 */
export class ManualClock implements Clock {
  #now: number;
  readonly #wallOffset: number;
  #seq = 0;
  /** Pending timers sorted by (due, seq). Tests schedule few timers, so a sorted array is enough. */
  readonly #timers: ManualTimer[] = [];

  /** @param options - start time and the wall clock it maps to */
  constructor(options: ManualClockOptions = {}) {
    this.#now = assertNumber(options.startAt ?? 0, {
      name: "startAt",
      context: "new ManualClock()",
    });
    const wallStart = assertNumber(options.wallStart ?? 1_700_000_000_000, {
      name: "wallStart",
      context: "new ManualClock()",
    });
    this.#wallOffset = wallStart - this.#now;
  }

  /** @returns the current manual time in milliseconds */
  now(): number {
    return this.#now;
  }

  /** @returns the wall-clock time matching {@link ManualClock.now} */
  wallTime(): number {
    return this.#wallOffset + this.#now;
  }

  /** @returns how many timers are scheduled and not cancelled */
  get pendingTimers(): number {
    return this.#timers.length;
  }

  /**
   * @returns how many pending timers were scheduled with `{ ref: true }`: those that would keep a
   * real process alive (the waits a caller awaits)
   */
  get refTimers(): number {
    return this.#timers.filter((timer) => timer.ref).length;
  }

  /** @returns the time the next timer is due, or `undefined` when none is pending */
  nextDue(): number | undefined {
    return this.#timers[0]?.due;
  }

  /**
   * Schedules `callback` at `now() + delayMs`.
   * @param callback - what to run
   * @param delayMs - delay of any length (negative or NaN counts as 0; `Infinity` never fires)
   * @param options - `ref`, counted by {@link ManualClock.refTimers}
   * @returns a handle to cancel it
   */
  setTimeout(callback: () => void, delayMs: number, options?: TimerOptions): TimerHandle {
    return this.#schedule(callback, delayMs > 0 ? delayMs : 0, undefined, options);
  }

  /**
   * Schedules `callback` every `intervalMs`.
   * @param callback - what to run
   * @param intervalMs - period of any length (values below 1 count as 1, as in Node)
   * @param options - `ref`, counted by {@link ManualClock.refTimers}
   * @returns a handle to cancel it
   */
  setInterval(callback: () => void, intervalMs: number, options?: TimerOptions): TimerHandle {
    const period = intervalMs >= 1 ? intervalMs : 1;
    return this.#schedule(callback, period, period, options);
  }

  /**
   * Moves time forward by `ms`, firing every timer that falls due, in order. `now()` equals each
   * timer's due time while its callback runs.
   * @param ms - how far to move (>= 0)
   */
  advance(ms: number): void {
    assertNumber(ms, { name: "ms", min: 0, context: "ManualClock.advance()" });
    const target = this.#now + ms;
    for (let timer = this.#nextBy(target); timer !== undefined; timer = this.#nextBy(target)) {
      this.#fire(timer);
    }
    this.#now = target;
  }

  /**
   * Like {@link ManualClock.advance}, but lets promise callbacks and I/O callbacks run after each
   * timer (and once at the end), so async code driven by timers makes progress as it would in real
   * time.
   * @param ms - how far to move (>= 0)
   */
  async advanceAsync(ms: number): Promise<void> {
    assertNumber(ms, { name: "ms", min: 0, context: "ManualClock.advanceAsync()" });
    const target = this.#now + ms;
    await flush();
    for (let timer = this.#nextBy(target); timer !== undefined; timer = this.#nextBy(target)) {
      this.#fire(timer);
      await flush();
    }
    this.#now = target;
    await flush();
  }

  /**
   * Fires timers until none is pending (intervals excluded after `limit` firings; timers that
   * never fire stay pending).
   * @param limit - safety bound on the number of callbacks run
   * @returns how many callbacks ran
   */
  runAll(limit = 10_000): number {
    let ran = 0;
    for (
      let timer = this.#timers[0];
      timer !== undefined && timer.due !== Infinity && ran < limit;
      timer = this.#timers[0]
    ) {
      this.#timers.shift();
      this.#fire(timer);
      ran++;
    }
    return ran;
  }

  #nextBy(target: number): ManualTimer | undefined {
    const first = this.#timers[0];
    if (first === undefined || first.due > target) return undefined;
    this.#timers.shift();
    return first;
  }

  #fire(timer: ManualTimer): void {
    this.#now = Math.max(this.#now, timer.due);
    if (timer.intervalMs !== undefined) {
      timer.due += timer.intervalMs;
      timer.seq = this.#seq++;
      this.#insert(timer);
    }
    timer.callback();
  }

  #schedule(
    callback: () => void,
    delayMs: number,
    intervalMs: number | undefined,
    options: TimerOptions | undefined,
  ): TimerHandle {
    const timer: ManualTimer = {
      due: this.#now + delayMs,
      seq: this.#seq++,
      callback,
      intervalMs,
      ref: options?.ref === true,
      cancelled: false,
    };
    this.#insert(timer);
    return {
      cancel: (): void => {
        if (timer.cancelled) return;
        timer.cancelled = true;
        const index = this.#timers.indexOf(timer);
        if (index !== -1) this.#timers.splice(index, 1);
      },
    };
  }

  #insert(timer: ManualTimer): void {
    let lo = 0;
    let hi = this.#timers.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const other = this.#timers[mid] as ManualTimer;
      if (other.due < timer.due || (other.due === timer.due && other.seq < timer.seq)) lo = mid + 1;
      else hi = mid;
    }
    this.#timers.splice(lo, 0, timer);
  }
}

function flush(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
