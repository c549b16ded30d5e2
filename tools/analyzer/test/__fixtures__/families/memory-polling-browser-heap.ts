// The browser's heap figures are read off `performance.memory` on each flush and handed to a
// function that takes them apart into a recorded entry.
// expect: memory/memory-polling 10-27 elim 16 "the browser's heap read off `performance.memory`"
interface HeapInfo {
  readonly usedJSHeapSize: number;
  readonly totalJSHeapSize: number;
  readonly jsHeapSizeLimit: number;
}

export function recordMemory(record: (entry: object) => void): void {
  try {
    record(memoryEntry((performance as Performance & { memory: HeapInfo }).memory));
  } catch {
    // non-standard: absent in some browsers
  }
}

function memoryEntry(info: HeapInfo): object {
  const { usedJSHeapSize, totalJSHeapSize, jsHeapSizeLimit } = info;
  const time = Date.now() / 1000;
  return {
    type: "memory",
    start: time,
    end: time,
    data: { usedJSHeapSize, totalJSHeapSize, jsHeapSizeLimit },
  };
}
