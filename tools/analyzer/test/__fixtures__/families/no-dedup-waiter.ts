// Readers waiting for the next message share one bare deferred that push() resolves: a signal
// given by a later event, not an operation shared while it runs.
// expect: none
export class Mailbox<T> {
  private readonly messages: T[] = [];
  private arrival: Promise<void> | undefined;
  private signal: (() => void) | undefined;

  push(message: T): void {
    this.messages.push(message);
    this.signal?.();
  }

  next(): Promise<void> {
    if (this.messages.length > 0) return Promise.resolve();
    this.arrival ??= new Promise<void>((resolve) => {
      this.signal = resolve;
    }).finally(() => {
      this.arrival = undefined;
    });
    return this.arrival;
  }
}
