// A method that exists to arm a request timer: it clears the old one through a helper, works out
// the delay in locals, and arms the timer only when there is a delay. The method is the construct
// (declaration to closing brace), and so is the helper that only clears the handle; the two sit
// within ten lines of each other, so they are one finding (`receive` between them is not counted).
// expect: response/timeout 18-40 elim 17 "clears the timeout timer"
export class Connection {
  private requestTimer: ReturnType<typeof setTimeout> | undefined;
  private pending: { timeout?: number; fail(error: Error): void } | undefined;

  constructor(private readonly defaults: { requestTimeout: number }) {}

  send(request: { timeout?: number; fail(error: Error): void }): void {
    this.pending = request;
    this.createRequestTimer();
  }

  // A timeout is set only when there is one.
  createRequestTimer(): void {
    this.clearRequestTimer();
    const request = this.pending;
    const timeout = request?.timeout ?? this.defaults.requestTimeout;
    if (timeout > 0) {
      this.requestTimer = setTimeout(
        () => this.pending?.fail(new Error("request timed out")),
        timeout,
      );
    }
  }

  receive(): void {
    this.clearRequestTimer();
    this.pending = undefined;
  }

  clearRequestTimer(): void {
    if (this.requestTimer) {
      clearTimeout(this.requestTimer);
      this.requestTimer = undefined;
    }
  }
}
