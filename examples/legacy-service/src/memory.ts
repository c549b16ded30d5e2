// An array of spare buffers and a memory poller that empties the caches when the heap looks big.

const spare: Buffer[] = [];

export function takeBuffer(size: number): Buffer {
  const buffer = spare.pop();
  if (buffer && buffer.length >= size) return buffer;
  return Buffer.alloc(Math.max(size, 16 * 1024));
}

export function releaseBuffer(buffer: Buffer): void {
  if (spare.length < 64) spare.push(buffer);
}

export function watchMemory(limitBytes: number, onHigh: () => void): NodeJS.Timeout {
  const timer = setInterval(() => {
    const { heapUsed } = process.memoryUsage();
    if (heapUsed > limitBytes) {
      console.warn(
        `heap ${Math.round(heapUsed / 1e6)} MB over ${Math.round(limitBytes / 1e6)} MB, clearing caches`,
      );
      onHigh();
    }
  }, 1000);
  timer.unref();
  return timer;
}
