// A race whose timer side settles with nothing still bounds the work it is handed: the caller's
// promise raced against a plain timer is a deadline (the near miss of a cancellable sleep).
// expect: response/timeout-race 4-6 elim 3 "`Promise.race` of the work against a timer"
export function within<T>(work: Promise<T>, ms: number): Promise<T | void> {
  return Promise.race([work, new Promise<void>((resolve) => setTimeout(resolve, ms))]);
}
