// Counts of the items an object holds: traces encoded into a payload buffer, counted as each is
// pushed and zeroed when the buffer is emptied (the payload's length kept by hand, handed to the
// exporter); requests handled in a queue's own map, zeroed when the map is purged and served in the
// queue's info. The object's own data, not tallies of its work.
// expect: none
export class PayloadEncoder {
  private traces: string[][] = [];
  private traceCount = 0;

  count(): number {
    return this.traceCount;
  }

  encode(trace: string[]): void {
    this.traces.push(trace);
    this.traceCount++;
  }

  reset(): void {
    this.traces = [];
    this.traceCount = 0;
  }
}

export class MemoryQueue {
  readonly #requests = new Map<string, { handledAt?: string }>();
  handledCount = 0;

  markHandled(id: string): void {
    this.#requests.set(id, { handledAt: new Date().toISOString() });
    this.handledCount += 1;
  }

  purge(): void {
    this.#requests.clear();
    this.handledCount = 0;
  }

  info(): { handledCount: number; total: number } {
    return { handledCount: this.handledCount, total: this.#requests.size };
  }
}
