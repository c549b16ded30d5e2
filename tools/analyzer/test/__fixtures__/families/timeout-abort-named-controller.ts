// A request bounded by a controller that a timer aborts. The controller is named for the timeout,
// but it is the request's own: aborting it fails the request, so the timer is a timeout.
// expect: response/timeout 10-16 elim 2 "timeoutController.abort"
export async function invoke(url: string, body: string, timeout?: number): Promise<string> {
  let timeoutId: ReturnType<typeof setTimeout> | undefined;
  let signal: AbortSignal | undefined;
  try {
    if (timeout !== undefined) {
      const timeoutController = new AbortController();
      timeoutId = setTimeout(() => timeoutController.abort(), timeout);
      signal = timeoutController.signal;
    }
    const response = await fetch(url, { method: "POST", body, signal });
    return await response.text();
  } finally {
    if (timeoutId !== undefined) clearTimeout(timeoutId);
  }
}
