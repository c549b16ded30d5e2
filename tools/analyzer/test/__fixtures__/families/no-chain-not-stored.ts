// Each call waits for the last saved job, but nothing stores the new work as the tail: a read of
// a promise, not a queue.
// expect: none
export class Saver {
  private tail: Promise<void> = Promise.resolve();

  constructor(private readonly write: (data: string) => Promise<void>) {}

  afterLast(data: string): Promise<void> {
    const previous = this.tail;
    return previous.then(() => this.write(data));
  }

  save(data: string): void {
    this.tail = this.write(data);
  }
}
