// expect: none
// Near misses of memory-polling-browser-heap.ts and memory-limit-reversed.js: one heap figure
// shown once, a memory limit compared the other way round only to log, and a header total.
interface HeapInfo {
  readonly usedJSHeapSize: number;
}

export function heapLabel(): string {
  const memory = (performance as Performance & { memory?: HeapInfo }).memory;
  return memory === undefined ? "n/a" : `${String(memory.usedJSHeapSize)} bytes`;
}

export function note(limits: { maxMemory: number }, usage: { memory: number }): void {
  if (limits.maxMemory < usage.memory) console.warn("memory above the configured maximum");
}

// A header total over its maximum is no memory figure (its name holds "rsS", not "rss").
export class Parser {
  private headersSize = 0;
  constructor(
    private readonly headersMaxSize: number,
    private readonly destroy: (reason: Error) => void,
  ) {}

  trackHeader(length: number): void {
    this.headersSize += length;
    if (this.headersSize >= this.headersMaxSize) this.destroy(new Error("headers overflow"));
  }
}
