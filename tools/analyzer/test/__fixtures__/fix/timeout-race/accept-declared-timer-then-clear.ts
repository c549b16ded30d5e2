// A timer promise declared first, its handle cleared by `.then(ok, fail)` on the race
// (OpenTelemetry's callWithTimeout).
export class TimeoutError extends Error {}

export function callWithTimeout<T>(promise: Promise<T>, timeout: number): Promise<T> {
  let timeoutHandle: ReturnType<typeof setTimeout>;

  const timeoutPromise = new Promise<never>(function timeoutFunction(_resolve, reject) {
    timeoutHandle = setTimeout(function timeoutHandler() {
      reject(new TimeoutError("Operation timed out."));
    }, timeout);
  });

  return Promise.race([promise, timeoutPromise]).then(
    (result) => {
      clearTimeout(timeoutHandle);
      return result;
    },
    (reason) => {
      clearTimeout(timeoutHandle);
      throw reason;
    },
  );
}
