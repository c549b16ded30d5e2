// An idle timer restarted on every activity, cleared through a helper of the closure and kept with
// `.unref()`: the helper, its call and the re-arm are the debounce.
// expect: response/debounce 9-23 elim 13 "clears `idleTimer` and arms it again"
export function trackIdle(onIdle: () => void, idleMs: number): { activity(): void } {
  let idleTimer: ReturnType<typeof setTimeout> | undefined;
  let finished = false;
  let pending = 0;

  function cancelIdle(): void {
    if (idleTimer) {
      clearTimeout(idleTimer);
      idleTimer = undefined;
    }
  }

  function restartIdle(): void {
    cancelIdle();
    idleTimer = setTimeout(() => {
      if (!finished && pending === 0) {
        finished = true;
        onIdle();
      }
    }, idleMs).unref();
  }

  return {
    activity() {
      pending += 1;
      restartIdle();
      pending -= 1;
    },
  };
}
