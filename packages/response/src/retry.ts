import {
  PerflayerConfigError,
  PerflayerError,
  TimeoutError,
  abortReason,
  assertAbortSignal,
  assertFunction,
  assertInteger,
  assertKnownKeys,
  assertNumber,
  assertOneOf,
  formatExpected,
  invalid,
  resolveDeadline,
  systemClock,
} from "@perflayer/core";
import type { Clock, Deadline } from "@perflayer/core";

/** Exponential back-off settings. */
export interface BackoffOptions {
  /** First delay. @defaultValue 100 */
  readonly initialMs?: number;
  /** Largest delay. @defaultValue 10_000 */
  readonly maxMs?: number;
  /** Growth per attempt. @defaultValue 2 */
  readonly factor?: number;
}

/** Options of {@link retry}. */
export interface RetryOptions {
  /** Total attempts including the first. @defaultValue 3 */
  readonly attempts?: number;
  /** Exponential back-off. @defaultValue `{ initialMs: 100, maxMs: 10_000, factor: 2 }` */
  readonly backoff?: BackoffOptions;
  /**
   * `full` (AWS's "full jitter": a random delay up to the back-off, which spreads retries best),
   * `equal` (half fixed, half random) or `none`.
   * @defaultValue "full"
   */
  readonly jitter?: "full" | "equal" | "none";
  /**
   * The wait after a failed attempt, decided by a policy of your own instead of `backoff` and
   * `jitter` (passing either with it is a `PerflayerConfigError`): called with the attempt that
   * failed (1-based) and its error, once `retryOn` has accepted it — a server's `Retry-After`, a
   * schedule kept elsewhere (`(attempt) => calculateDelay(attempt)`). Its answer must be a finite
   * number >= 0; any other ends the retry with a `PerflayerConfigError` (`ERR_INVALID_OPTION`,
   * the attempt's error as its `cause`). The `deadline` still applies.
   * @defaultValue none: exponential `backoff` with `jitter`
   * @example
   * ```ts
   * retry(send, { attempts: 5, delay: (attempt, error) => retryAfterMs(error) ?? 250 * attempt });
   * ```
   */
  readonly delay?: (attempt: number, error: unknown) => number;
  /** Whether an error is worth retrying. @defaultValue every error except aborts and `PerflayerConfigError`s */
  readonly retryOn?: (error: unknown, attempt: number) => boolean;
  /** Stops retrying (and a pending delay) at once. */
  readonly signal?: AbortSignal;
  /**
   * Absolute deadline: no attempt starts and no delay runs past it. A `Date`, or a time on `clock`
   * in `clock.now()` units (`performance.now()` for the real clock); epoch milliseconds
   * (`Date.now() + 200`) are rejected with a `PerflayerConfigError`: pass `new Date(…)` for them.
   */
  readonly deadline?: Deadline;
  /** Called before each retry, e.g. for logging. */
  readonly onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
  /** @defaultValue `systemClock` */
  readonly clock?: Clock;
  /** Random source in [0, 1), for tests. @defaultValue `Math.random` */
  readonly random?: () => number;
}

const BACKOFF_KEYS: readonly string[] = ["initialMs", "maxMs", "factor"];

function optionalFunction<F extends (...args: never[]) => unknown>(
  value: F | undefined,
  name: string,
  context: string,
): F | undefined {
  return value === undefined ? undefined : assertFunction<F>(value, { name, context });
}

const KNOWN: readonly string[] = [
  "attempts",
  "backoff",
  "jitter",
  "delay",
  "retryOn",
  "signal",
  "deadline",
  "onRetry",
  "clock",
  "random",
];

function defaultRetryOn(error: unknown): boolean {
  if (!(error instanceof PerflayerError)) return true;
  return (
    error.code !== "ERR_ABORTED" &&
    error.code !== "ERR_INVALID_OPTION" &&
    error.code !== "ERR_INVALID_ARGUMENT"
  );
}

/**
 * Calls `fn` until it succeeds, with exponential back-off and jitter, honouring an abort signal
 * and a deadline — the replacement for hand-rolled retry loops. When attempts run out, the last
 * error is thrown; when the deadline would pass, a `TimeoutError` whose `cause` is the last error.
 *
 * @example
 * ```ts
 * const user = await retry(({ attempt, signal }) => fetchUser(id, { signal }), { attempts: 4, backoff: { initialMs: 50 } });
 * ```
 * @typeParam T - the result
 * @param fn - the operation; receives the attempt number (1-based) and the signal
 * @param options - attempts, back-off and jitter (or your own delay), retryOn, signal, deadline
 * @returns the first successful result
 */
export async function retry<T>(
  fn: (context: { attempt: number; signal: AbortSignal | undefined }) => T | Promise<T>,
  options: RetryOptions = {},
): Promise<T> {
  const context = "retry()";
  assertFunction(fn, { name: "fn", context });
  if (typeof options !== "object" || options === null) {
    throw invalid({
      name: "options",
      expected: "an object",
      got: options,
      fix: "Pass e.g. { attempts: 3 }.",
      context,
    });
  }
  assertKnownKeys(options, KNOWN, context);
  const backoff = options.backoff ?? {};
  if (typeof backoff !== "object" || backoff === null) {
    throw invalid({
      name: "backoff",
      expected: "an object",
      got: backoff,
      fix: "Pass e.g. { backoff: { initialMs: 100, maxMs: 10_000, factor: 2 } }.",
      context,
    });
  }
  assertKnownKeys(backoff, BACKOFF_KEYS, `${context} backoff`);
  const attempts = assertInteger(options.attempts ?? 3, {
    name: "attempts",
    min: 1,
    fix: "Pass e.g. { attempts: 3 }.",
    context,
  });
  const initialMs = assertNumber(backoff.initialMs ?? 100, {
    name: "backoff.initialMs",
    min: 0,
    fix: "Pass milliseconds, e.g. { backoff: { initialMs: 100 } }.",
    context,
  });
  const maxMs = assertNumber(backoff.maxMs ?? 10_000, {
    name: "backoff.maxMs",
    min: initialMs,
    fix: "Pass milliseconds, at least backoff.initialMs, e.g. { backoff: { maxMs: 10_000 } }.",
    context,
  });
  const factor = assertNumber(backoff.factor ?? 2, {
    name: "backoff.factor",
    min: 1,
    fix: "Pass e.g. { backoff: { factor: 2 } }.",
    context,
  });
  const jitter = assertOneOf(options.jitter ?? "full", ["full", "equal", "none"], {
    name: "jitter",
    fix: 'Pass e.g. { jitter: "full" }.',
    context,
  });
  const delayOf = optionalFunction(options.delay, "delay", context);
  if (delayOf !== undefined && (options.backoff !== undefined || options.jitter !== undefined)) {
    throw invalid({
      name: options.backoff !== undefined ? "backoff" : "jitter",
      expected: "left out when `delay` is given (the delay function decides every wait)",
      got: options.backoff ?? options.jitter,
      fix: "Pass either { delay: (attempt) => ms } or { backoff, jitter }.",
      context,
    });
  }
  const retryOn = optionalFunction(options.retryOn, "retryOn", context) ?? defaultRetryOn;
  const onRetry = optionalFunction(options.onRetry, "onRetry", context);
  const random = optionalFunction(options.random, "random", context) ?? Math.random;
  const clock = options.clock ?? systemClock;
  if (typeof clock?.now !== "function" || typeof clock.setTimeout !== "function") {
    throw invalid({
      name: "clock",
      expected: "a Clock { now(), setTimeout() }",
      got: clock,
      fix: "Pass systemClock or a ManualClock from @perflayer/core.",
      context,
    });
  }
  const signal = assertAbortSignal(options.signal, {
    name: "signal",
    fix: "Pass e.g. { signal: AbortSignal.timeout(5_000) } or controller.signal.",
    context,
  });
  const deadline =
    options.deadline === undefined
      ? undefined
      : resolveDeadline(options.deadline, clock, { name: "deadline", context });
  for (let attempt = 1; ; attempt++) {
    if (signal?.aborted === true) throw abortReason(signal, "retry()");
    if (attempt === 1 && deadline !== undefined && clock.now() >= deadline) {
      throw new TimeoutError("retry(): the deadline had passed before the first attempt");
    }
    try {
      return await fn({ attempt, signal });
    } catch (error) {
      if (isAborted(signal)) throw abortReason(signal as AbortSignal, "retry()");
      if (attempt >= attempts || !retryOn(error, attempt)) throw error;
      const ceiling = Math.min(maxMs, initialMs * factor ** (attempt - 1));
      const delay =
        delayOf !== undefined
          ? delayAfter(delayOf, attempt, error, context)
          : jitter === "none"
            ? ceiling
            : jitter === "equal"
              ? ceiling / 2 + random() * (ceiling / 2)
              : random() * ceiling;
      if (deadline !== undefined && clock.now() + delay >= deadline) {
        throw new TimeoutError(
          `retry(): the deadline leaves no room for attempt ${attempt + 1} (next delay ${Math.round(delay)} ms)`,
          { cause: error },
        );
      }
      onRetry?.(error, attempt, delay);
      await sleep(delay, clock, signal);
    }
  }
}

/** The `delay` option's answer for a failed attempt, checked: a finite number of ms >= 0. */
function delayAfter(
  delayOf: (attempt: number, error: unknown) => number,
  attempt: number,
  error: unknown,
  context: string,
): number {
  const ms: unknown = delayOf(attempt, error);
  if (typeof ms === "number" && Number.isFinite(ms) && ms >= 0) return ms;
  throw new PerflayerConfigError(
    "ERR_INVALID_OPTION",
    formatExpected({
      name: `delay(${attempt}, error)`,
      expected: "a finite number of milliseconds >= 0",
      got: ms,
      fix: "Return the wait after every failed attempt, e.g. 1_000.",
      context,
    }),
    { cause: error },
  );
}

/** Re-reads the signal (it may have aborted while the attempt ran). */
function isAborted(signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true;
}

function sleep(ms: number, clock: Clock, signal: AbortSignal | undefined): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const onAbort = (): void => {
      timer.cancel();
      reject(abortReason(signal as AbortSignal, "retry()"));
    };
    // Ref'd: a caller awaiting the retry must keep the process alive through the delay.
    const timer = clock.setTimeout(
      () => {
        signal?.removeEventListener("abort", onAbort);
        resolve();
      },
      ms,
      { ref: true },
    );
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
