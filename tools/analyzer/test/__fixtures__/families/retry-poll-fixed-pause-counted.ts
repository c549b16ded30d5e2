// Near miss of retry-backoff-raised-count: the count is raised and bounds the retries, but the
// wait is a fixed setting read off the object — a fixed delay, retry-poll.
// expect: response/retry-poll 14-22 elim 9 "schedules the operation again"
export class Feed {
  private n = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly opts: { pause: number; limit: number }) {}

  open(): Promise<void> {
    return Promise.resolve();
  }

  onClose(): void {
    if (this.timer !== undefined || this.n >= this.opts.limit) return;
    this.n++;
    const pause = this.opts.pause;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.open().catch(() => this.onClose());
    }, pause);
  }
}
