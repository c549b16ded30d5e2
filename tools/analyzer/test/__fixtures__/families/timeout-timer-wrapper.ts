// A timer set through a wrapper of `setTimeout` (one that unrefs it): its callback aborts the
// request, and the handle is cleared once the request settles.
// expect: response/timeout 13-20 elim 4 "controller.abort"
function safeSetTimeout(fn: () => void, ms: number): ReturnType<typeof setTimeout> {
  const t = setTimeout(fn, ms);
  if (typeof t === "object" && "unref" in t) t.unref();
  return t;
}

export async function loadFlags(url: string, requestTimeout: number): Promise<unknown> {
  let abortTimeout: ReturnType<typeof setTimeout> | undefined;
  const controller = new AbortController();
  abortTimeout = safeSetTimeout(() => {
    controller.abort();
  }, requestTimeout);
  try {
    const res = await fetch(url, { signal: controller.signal });
    return await res.json();
  } finally {
    clearTimeout(abortTimeout);
  }
}
