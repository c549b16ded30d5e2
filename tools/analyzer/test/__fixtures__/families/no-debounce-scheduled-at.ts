// Timers cleared (through a helper) and armed again for a given time — a wake-up moved to the
// caller's deadline, a loop scheduled to the next minute — schedule work; they are not debounces.
// Nor is a helper reached only through `return stop()`.
// expect: none
export class Waker {
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly wake: () => void) {}

  private halt(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  at(time: number): void {
    const wait = time - Date.now();
    this.halt();
    this.timer = setTimeout(this.wake, wait);
  }
}

export function everyMinute(tick: () => void, active: () => boolean): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const stop = (): void => {
    if (timer) clearTimeout(timer);
    timer = undefined;
  };
  const next = (): void => {
    if (!active()) return stop();
    timer = setTimeout(() => {
      tick();
      next();
    }, 60_000);
  };
  next();
  return stop;
}
