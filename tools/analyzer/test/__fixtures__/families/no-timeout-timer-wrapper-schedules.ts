// A wrapper of `setTimeout` used to schedule work: a flush after a pause, and a controller named
// for a timer that is the timer's own (`timer.close()`). Nothing is failed when they fire.
// expect: none
function safeSetTimeout(fn: () => void, ms: number): ReturnType<typeof setTimeout> {
  const t = setTimeout(fn, ms);
  if (typeof t === "object" && "unref" in t) t.unref();
  return t;
}

export class Batcher {
  #items: string[] = [];
  #flushTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly send: (items: string[]) => void) {}

  add(item: string): void {
    this.#items.push(item);
    this.#flushTimer ??= safeSetTimeout(() => {
      this.#flushTimer = undefined;
      this.send(this.#items.splice(0));
    }, 1000);
  }
}
