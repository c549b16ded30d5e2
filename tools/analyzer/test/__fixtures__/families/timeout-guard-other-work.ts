// Near miss: the early return above the timer also ends other work (it is not about the delay), so
// it stays outside the timeout's range.
// expect: response/timeout 11-18 elim 6 "whose callback fails `fail` with an error"
export class Job {
  private timer: ReturnType<typeof setTimeout> | undefined;

  run(done: boolean, timeoutMs: number, fail: (e: Error) => void): void {
    if (done) {
      return;
    }
    this.timer = setTimeout(() => {
      fail(new Error("timed out"));
    }, timeoutMs);
  }

  finish(): void {
    clearTimeout(this.timer);
  }
}
