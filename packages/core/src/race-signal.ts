import { abortReason } from "./perflayer-error.js";

/**
 * Waits for `promise`, but rejects as soon as `signal` aborts, with the signal's typed reason
 * ({@link abortReason}). The promise itself is not cancelled: use this to let one waiter of a
 * shared operation give up without affecting the others.
 *
 * @example
 * ```ts
 * const user = await raceSignal(sharedLoad, request.signal, "waiting for user 42");
 * ```
 * @typeParam T - the promise's value
 * @param promise - the shared work
 * @param signal - this waiter's signal
 * @param what - what is being waited for, for the error message
 * @returns the promise's value
 */
export function raceSignal<T>(
  promise: Promise<T>,
  signal: AbortSignal,
  what = "The operation",
): Promise<T> {
  if (signal.aborted) {
    promise.catch(() => undefined); // the work goes on; its failure is its owner's to report
    return Promise.reject(abortReason(signal, what));
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(abortReason(signal, what));
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}
