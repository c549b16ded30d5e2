// A request timer whose callback hands over to a method that exists for it: the method fails the
// request, and is part of the timeout; the arm, the clear and that method sit together and are one
// finding (their own lines only are eliminable).
// expect: response/timeout 11-28 elim 16 "runs when the timer"
export class Exchange {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private failed: Error | undefined;

  constructor(private readonly ms: number) {}

  start(): void {
    this.stop();
    if (this.ms > 0) {
      this.timer = setTimeout(() => {
        this.expire();
      }, this.ms);
    }
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private expire(): void {
    this.timer = undefined;
    this.fail(new Error(`Request did not complete in ${this.ms} ms; raise the limit or retry.`));
  }

  private fail(error: Error): void {
    this.failed = error;
  }

  get error(): Error | undefined {
    return this.failed;
  }
}
