// A queue's fetch waits for the next item; a failed wait is logged and waited for again. The
// wait is the thing done, not a pause before trying an operation again.
// expect: none
export class FifoQueue<T> {
  private readonly items: T[] = [];
  private waiter: Promise<void> | undefined;
  private wake: (() => void) | undefined;

  constructor(private readonly quiet = false) {}

  push(item: T): void {
    this.items.push(item);
    this.wake?.();
  }

  private wait(): Promise<void> {
    this.waiter ??= new Promise<void>((resolve) => {
      this.wake = resolve;
    }).finally(() => {
      this.waiter = undefined;
    });
    return this.waiter;
  }

  async fetch(): Promise<T | undefined> {
    while (this.items.length === 0) {
      try {
        await this.wait();
      } catch (err) {
        if (!this.quiet) console.error("wait failed", err);
      }
    }
    return this.items.shift();
  }
}
