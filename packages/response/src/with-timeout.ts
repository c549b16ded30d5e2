import {
  TimeoutError,
  abortReason,
  assertKnownKeys,
  assertNumber,
  systemClock,
} from "@perflayer/core";
import type { Clock } from "@perflayer/core";

/** Options of {@link withTimeout}. */
export interface WithTimeoutOptions {
  /** Also stop on this signal (rejects with `AbortError`). */
  readonly signal?: AbortSignal;
  /** @defaultValue `systemClock` */
  readonly clock?: Clock;
  /** What is being waited for, for the error message. @defaultValue "the operation" */
  readonly what?: string;
}

/**
 * Bounds one call in time — the replacement for a hand-rolled `Promise.race` with a `setTimeout`
 * rejection: the timer is always cleared, a function receives an `AbortSignal` that fires at the
 * timeout (so the work really stops), and the rejection is core's typed `TimeoutError`. The timer
 * keeps the process alive while the caller waits (a script awaiting a promise that never settles
 * gets its `TimeoutError`, not an early exit), and takes any length (a 30-day timeout is 30 days).
 *
 * @example
 * ```ts
 * const body = await withTimeout(({ signal }) => fetch(url, { signal }).then((r) => r.text()), 2_000);
 * ```
 * @typeParam T - the result
 * @param work - a promise, or a function receiving `{ signal }`
 * @param timeoutMs - the time limit in milliseconds
 * @param options - an outer `signal`, a clock, a description
 * @returns the result
 */
export function withTimeout<T>(
  work: Promise<T> | ((context: { signal: AbortSignal }) => T | Promise<T>),
  timeoutMs: number,
  options: WithTimeoutOptions = {},
): Promise<T> {
  assertNumber(timeoutMs, {
    name: "timeoutMs",
    min: 0,
    fix: "Pass milliseconds, e.g. withTimeout(work, 2_000).",
    context: "withTimeout()",
  });
  assertKnownKeys(options, ["signal", "clock", "what"], "withTimeout()");
  const clock = options.clock ?? systemClock;
  const what = options.what ?? "the operation";
  const outer = options.signal;
  if (outer?.aborted === true) return Promise.reject(abortReason(outer, what));
  const controller = new AbortController();
  return new Promise<T>((resolve, reject) => {
    const timer = clock.setTimeout(
      () => {
        const error = new TimeoutError(`${what} took longer than ${timeoutMs} ms`, { timeoutMs });
        controller.abort(error);
        finish();
        reject(error);
      },
      timeoutMs,
      { ref: true },
    );
    const onAbort = (): void => {
      const error = abortReason(outer as AbortSignal, what);
      controller.abort(error);
      finish();
      reject(error);
    };
    outer?.addEventListener("abort", onAbort, { once: true });
    const finish = (): void => {
      timer.cancel();
      outer?.removeEventListener("abort", onAbort);
    };
    let pending: Promise<T>;
    try {
      pending = Promise.resolve(
        typeof work === "function" ? work({ signal: controller.signal }) : work,
      );
    } catch (error) {
      finish();
      reject(error);
      return;
    }
    pending.then(
      (value) => {
        finish();
        resolve(value);
      },
      (error: unknown) => {
        finish();
        reject(error);
      },
    );
  });
}
