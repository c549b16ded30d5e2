// A timer handing over to a method that checks an age itself (idle for longer than the limit,
// then closed): the handler is idle expiry (reported as such), not a timeout's failure path.
// expect: memory/pool-idle-expiry 23-25 elim 3 "destroys objects idle longer than a timeout"
export class Session {
  private lastUsed = Date.now();
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly idleMs: number,
    private readonly close: (reason: Error) => void,
  ) {}

  arm(): void {
    this.timer = setTimeout(() => {
      this.checkIdle();
    }, this.idleMs);
  }

  use(): void {
    this.lastUsed = Date.now();
  }

  private checkIdle(): void {
    if (Date.now() - this.lastUsed >= this.idleMs) this.close(new Error("idle"));
  }
}
