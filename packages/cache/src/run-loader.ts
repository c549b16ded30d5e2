import { TimeoutError, abortReason } from "@perflayer/core";
import type { Clock } from "@perflayer/core";
import type { Loader } from "./cache-options.js";

/** One loader call: its key, abort controller, optional timeout and message prefix. */
export interface LoaderRun<K, V> {
  readonly key: K;
  readonly loader: Loader<K, V>;
  readonly staleValue: V | undefined;
  /** Aborting it (delete, timeout) rejects the run with the signal's typed reason. */
  readonly controller: AbortController;
  readonly clock: Clock;
  readonly timeoutMs: number | undefined;
  /**
   * Whether a caller awaits the load (not a background refresh): then the timeout timer keeps the
   * process alive, so it is not cut short by an exit.
   */
  readonly awaited: boolean;
  /** e.g. `cache "users": loading "42"`. */
  readonly what: string;
}

/**
 * Calls a loader with an `AbortSignal`: resolves with its value, rejects with its error (also
 * when it throws synchronously), with `TimeoutError` at `timeoutMs` (after aborting its signal),
 * or with the abort reason when `controller` is aborted.
 * @param run - the call
 * @returns the loader's value
 */
export function runLoader<K, V>(run: LoaderRun<K, V>): Promise<V> {
  const { controller, timeoutMs } = run;
  const signal = controller.signal;
  return new Promise<V>((resolve, reject) => {
    const timer =
      timeoutMs === undefined
        ? undefined
        : run.clock.setTimeout(
            () => {
              controller.abort(
                new TimeoutError(
                  `${run.what} took longer than loadTimeoutMs (${timeoutMs} ms); the loader's signal was aborted.`,
                  { timeoutMs },
                ),
              );
            },
            timeoutMs,
            { ref: run.awaited },
          );
    const onAbort = (): void => {
      timer?.cancel();
      reject(abortReason(signal, run.what));
    };
    signal.addEventListener("abort", onAbort, { once: true });
    const done = (): void => {
      timer?.cancel();
      signal.removeEventListener("abort", onAbort);
    };
    try {
      Promise.resolve(run.loader(run.key, { signal, staleValue: run.staleValue })).then(
        (value) => {
          done();
          resolve(value);
        },
        (error: unknown) => {
          done();
          reject(error);
        },
      );
    } catch (error) {
      done();
      reject(error);
    }
  });
}
