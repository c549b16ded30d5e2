/**
 * `AbortSignal.any([AbortSignal.timeout(ms), parent])`, written so that the timeout survives a
 * garbage collection. On Node 20 (20.20.2 included) a timeout signal observed only through
 * `AbortSignal.any` can be collected, and then it never fires (nodejs/node#57736): every deadline
 * set that way silently disappears at the next GC. A listener on the timeout signal itself keeps
 * it alive until it fires.
 * @param ms - the deadline, from now
 * @param parent - a signal that aborts the result too (a caller hanging up, an outer deadline)
 * @returns a signal that aborts with a `TimeoutError` after `ms`, or with the parent's reason
 */
export function deadlineSignal(ms: number, parent?: AbortSignal): AbortSignal {
  const controller = new AbortController();
  const timeout = AbortSignal.timeout(ms);
  timeout.addEventListener("abort", () => controller.abort(timeout.reason), { once: true });
  if (parent?.aborted) controller.abort(parent.reason);
  else parent?.addEventListener("abort", () => controller.abort(parent.reason), { once: true });
  return controller.signal;
}
