// A reconnect whose wait is asked of a strategy with a count the class raises by one, and a
// re-read whose wait is the next step of a schedule the object keeps: each wait changes with the
// attempt, back-off — whatever the count and the delay are called.
// expect: response/retry-backoff 19-27 elim 9 "schedules the operation again"
// expect: response/retry-backoff 30-35 elim 6 "schedules the operation again"
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
}
