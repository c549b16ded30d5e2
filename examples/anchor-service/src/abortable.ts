/**
 * Settles with `promise`, or rejects with the signal's reason as soon as it aborts: how a task
 * that cannot be cancelled itself (the backend takes no signal) still honours a deadline. p-queue
 * removes an aborted task only while it waits; a running one must handle its signal itself.
 * @param promise - the work
 * @param signal - the deadline or cancellation
 * @returns the work's result
 */
export function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason as Error);
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
