// A reconnect whose wait is asked of a strategy with a count the class raises by one, and a
// re-read whose wait is the next step of a schedule the object keeps: each wait changes with the
// attempt, back-off — whatever the count and the delay are called. A re-check whose wait is
// worked out by a helper of the class that grows it is back-off too.
// expect: response/retry-backoff 21-29 elim 9 "schedules the operation again"
// expect: response/retry-backoff 32-37 elim 6 "schedules the operation again"
// expect: response/retry-backoff 41-46 elim 6 "schedules the operation again"
export class Link {
  private n = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly plan: (k: number) => number,
    private readonly sched: { next(): { value: number } },
  ) {}

  open(): Promise<void> {
    return Promise.resolve();
  }

  onClose(): void {
    if (this.timer !== undefined) return;
    this.n++;
    const pause = this.plan(this.n);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.open().catch(() => this.onClose());
    }, pause);
  }

  async reload(): Promise<void> {
    try {
      await this.open();
    } catch {
      const pause = this.sched.next().value;
      setTimeout(() => void this.reload(), pause);
    }
  }

  async check(): Promise<void> {
    try {
      await this.open();
    } catch {
      const [pause, again] = this.nextPause();
      if (again) setTimeout(() => void this.check(), pause);
    }
  }

  private nextPause(): [number, boolean] {
    this.n += 1;
    return [100 * 2 ** this.n, this.n < 5];
  }
}
