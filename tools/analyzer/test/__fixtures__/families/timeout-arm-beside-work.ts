// The timer armed inside a method that also does other work (it sends the request and counts it):
// the method is not made for the timer, so only the timer's lines — the `if` that arms it when there
// is a delay, and the local its delay is read into — are the range, not the method; `reply`, which
// only clears the timer, goes with it.
// expect: response/timeout 15-23 elim 7 "whose callback"
export class Sender {
  private timer: ReturnType<typeof setTimeout> | undefined;
  sent = 0;

  constructor(private readonly write: (data: string) => void) {}

  send(data: string, options: { timeoutMs?: number }, fail: (error: Error) => void): void {
    this.write(data);
    this.sent += 1;
    const ms = options.timeoutMs ?? 0;
    if (ms > 0) {
      this.timer = setTimeout(() => fail(new Error(`no reply in ${String(ms)} ms`)), ms);
    }
  }

  reply(): void {
    clearTimeout(this.timer);
  }
}
