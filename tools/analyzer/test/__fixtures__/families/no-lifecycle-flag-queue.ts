// A disposed flag set by dispose() and cleared by the constructor, beside a queue of immediates
// drained by another method: a lifecycle state, not a busy flag of a serial queue.
// expect: none
export class FakeImmediates {
  private disposed: boolean;
  private immediates: (() => void)[] = [];

  constructor() {
    this.disposed = false;
  }

  dispose(): void {
    this.disposed = true;
    this.immediates = [];
  }

  runAll(): void {
    while (this.immediates.length > 0) this.immediates.shift()?.();
  }

  schedule(callback: () => void): void {
    if (!this.disposed) {
      this.immediates.push(callback);
    }
  }
}
