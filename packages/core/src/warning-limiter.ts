import type { Clock, TimerHandle } from "./clock.js";
import { systemClock } from "./clock.js";
import { assertFunction, assertKnownKeys, assertNumber } from "./validation.js";

/** Options of {@link WarningLimiter}. */
export interface WarningLimiterOptions {
  /**
   * Time source for the windows and the summary timer.
   * @defaultValue `systemClock`
   */
  readonly clock?: Clock;
  /**
   * Length of a window: the first warning of a kind is emitted at once, the repeats within the
   * window are counted and summarised (with the count) when it ends.
   * @defaultValue 60_000
   */
  readonly intervalMs?: number;
  /**
   * Where warnings go.
   * @defaultValue `process.emitWarning(message, { code })`
   */
  readonly emit?: (message: string, code: string) => void;
}

interface Window {
  readonly code: string;
  suppressed: number;
  last: string;
  readonly timer: TimerHandle;
}

const KNOWN: readonly string[] = ["clock", "intervalMs", "emit"];

function processWarning(message: string, code: string): void {
  process.emitWarning(message, { code });
}

/**
 * Rate-limits repeated warnings: per kind (a key, by default the warning code), the first warning
 * is emitted at once and further ones within `intervalMs` are suppressed and counted; when the
 * window ends, one summary says how many were suppressed and repeats the last message. A failing
 * webhook notified 2,000 times writes two lines, not 2,000. The summary timer is housekeeping
 * (unref'd).
 *
 * @example
 * ```ts
 * const warnings = new WarningLimiter();
 * for (let i = 0; i < 2_000; i++) warnings.warn("PERFLAYER_MONITOR_SINK", "alert sink webhook failed: ECONNREFUSED");
 * // one warning now; one "1999 more warnings like this were suppressed …" a minute later
 * ```
 */
export class WarningLimiter {
  readonly #clock: Clock;
  readonly #intervalMs: number;
  readonly #emit: (message: string, code: string) => void;
  readonly #windows = new Map<string, Window>();
  #suppressed = 0;

  /** @param options - clock, window length and where warnings go */
  constructor(options: WarningLimiterOptions = {}) {
    const context = "new WarningLimiter()";
    assertKnownKeys(options, KNOWN, context);
    this.#clock = options.clock ?? systemClock;
    this.#intervalMs = assertNumber(options.intervalMs ?? 60_000, {
      name: "intervalMs",
      min: 0,
      minExclusive: true,
      fix: "Pass milliseconds, e.g. { intervalMs: 60_000 }.",
      context,
    });
    this.#emit =
      options.emit === undefined
        ? processWarning
        : assertFunction<(message: string, code: string) => void>(options.emit, {
            name: "emit",
            context,
          });
  }

  /** @returns how many warnings were suppressed so far, over every kind */
  get suppressed(): number {
    return this.#suppressed;
  }

  /**
   * Emits `message` unless a warning of the same kind was emitted within the window; then it is
   * counted for the window's summary.
   * @param code - the warning code, e.g. `PERFLAYER_MONITOR_SINK`
   * @param message - the warning
   * @param key - what counts as "the same kind" (e.g. the code plus a sink name) @defaultValue `code`
   */
  warn(code: string, message: string, key: string = code): void {
    const open = this.#windows.get(key);
    if (open === undefined) {
      this.#open(key, code);
      this.#emit(message, code);
      return;
    }
    open.suppressed++;
    open.last = message;
    this.#suppressed++;
  }

  /** Emits the summaries of every open window now and forgets them (e.g. at `close()`). */
  flush(): void {
    for (const key of [...this.#windows.keys()]) this.#end(key, false);
  }

  #open(key: string, code: string): void {
    this.#windows.set(key, {
      code,
      suppressed: 0,
      last: "",
      timer: this.#clock.setTimeout(() => this.#end(key, true), this.#intervalMs),
    });
  }

  /** Ends a window: summarises what it suppressed; steady repeats then get a new window. */
  #end(key: string, reopen: boolean): void {
    const window = this.#windows.get(key);
    if (window === undefined) return;
    window.timer.cancel();
    this.#windows.delete(key);
    if (window.suppressed === 0) return;
    const n = window.suppressed;
    const per =
      this.#intervalMs >= 1000
        ? `${Math.round(this.#intervalMs / 1000)} s`
        : `${this.#intervalMs} ms`;
    this.#emit(
      `${n} more warning${n === 1 ? "" : "s"} like this ${n === 1 ? "was" : "were"} suppressed (at most one a ${per}); the last: ${window.last}`,
      window.code,
    );
    if (reopen) this.#open(key, window.code);
  }
}
