import {
  PerflayerError,
  TimeoutError,
  abortReason,
  assertFunction,
  assertInteger,
  assertKnownKeys,
  assertNumber,
  systemClock,
} from "@perflayer/core";
import type { Clock } from "@perflayer/core";

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
  /** Whether an error is worth retrying. @defaultValue every error except aborts and `PerflayerConfigError`s */
  readonly retryOn?: (error: unknown, attempt: number) => boolean;
  /** Stops retrying (and a pending delay) at once. */
  readonly signal?: AbortSignal;
  /** Absolute deadline on `clock`: no attempt starts and no delay runs past it. */
  readonly deadline?: number;
  /** Called before each retry, e.g. for logging. */
  readonly onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
  /** @defaultValue `systemClock` */
  readonly clock?: Clock;
  /** Random source in [0, 1), for tests. @defaultValue `Math.random` */
  readonly random?: () => number;
}

const KNOWN: readonly string[] = [
  "attempts",
  "backoff",
  "jitter",
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
 * @param options - attempts, back-off, jitter, retryOn, signal, deadline
 * @returns the first successful result
 */
export async function retry<T>(
  fn: (context: { attempt: number; signal: AbortSignal | undefined }) => T | Promise<T>,
  options: RetryOptions = {},
): Promise<T> {
  const context = "retry()";
  assertFunction(fn, { name: "fn", context });
  assertKnownKeys(options, KNOWN, context);
  const attempts = assertInteger(options.attempts ?? 3, {
    name: "attempts",
    min: 1,
    fix: "Pass e.g. { attempts: 3 }.",
    context,
  });
  const initialMs = assertNumber(options.backoff?.initialMs ?? 100, {
    name: "backoff.initialMs",
    min: 0,
    context,
  });
  const maxMs = assertNumber(options.backoff?.maxMs ?? 10_000, {
    name: "backoff.maxMs",
    min: initialMs,
    context,
  });
  const factor = assertNumber(options.backoff?.factor ?? 2, {
    name: "backoff.factor",
    min: 1,
    context,
  });
  const jitter = options.jitter ?? "full";
  const retryOn = options.retryOn ?? defaultRetryOn;
  const clock = options.clock ?? systemClock;
  const random = options.random ?? Math.random;
  const { signal, deadline } = options;
  for (let attempt = 1; ; attempt++) {
    if (signal?.aborted === true) throw abortReason(signal, "retry()");
    try {
      return await fn({ attempt, signal });
    } catch (error) {
      if (isAborted(signal)) throw abortReason(signal as AbortSignal, "retry()");
      if (attempt >= attempts || !retryOn(error, attempt)) throw error;
      const ceiling = Math.min(maxMs, initialMs * factor ** (attempt - 1));
      const delay =
        jitter === "none"
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
      options.onRetry?.(error, attempt, delay);
      await sleep(delay, clock, signal);
    }
  }
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
