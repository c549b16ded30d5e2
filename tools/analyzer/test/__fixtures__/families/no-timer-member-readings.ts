// Readings of a method of a local object or of `this`, taken twice and subtracted: sizes and
// counts, not a clock (only a module's functions are taken for clocks of another file).
// expect: none
interface Queue {
  size(): number;
  drain(): Promise<void>;
}

export async function drained(makeQueue: () => Queue, log: (n: number) => void): Promise<void> {
  const queue = makeQueue();
  const before = queue.size();
  await queue.drain();
  log(before - queue.size());
}

export class Buffered {
  private items: number[] = [];
  count(): number {
    return this.items.length;
  }
  async flush(log: (n: number) => void): Promise<void> {
    const before = this.count();
    this.items = [];
    await Promise.resolve();
    log(before - this.count());
  }
}
