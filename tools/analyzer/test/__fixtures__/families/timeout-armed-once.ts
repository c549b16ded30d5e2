// A state timer armed only while none runs, whose firing fails the pending state change: a
// timeout armed once (cleared when the change completes), not a throttle sharing one run.
// expect: response/timeout 9-23 elim 14 "cleared when the operation settles"
export class Channel {
  private stateTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly limitMs: number) {}

  startStateTimer(): void {
    if (!this.stateTimer) {
      this.stateTimer = setTimeout(() => {
        this.stateTimer = null;
        this.failPending(new Error("state change timed out"));
      }, this.limitMs);
    }
  }

  clearStateTimer(): void {
    if (this.stateTimer) {
      clearTimeout(this.stateTimer);
      this.stateTimer = null;
    }
  }

  failPending(error: Error): void {
    console.error(error);
  }
}
