// Near miss of memory-sampler-in-block.ts: the heap limit is read once, in a block, to size a
// cache — one figure, used once, no polling.
// expect: none
export function cacheBudget(fraction: number): number {
  let budget = 64 * 1024 * 1024;
  if (fraction > 0) {
    const mem = process.memoryUsage();
    budget = Math.floor(mem.heapTotal * fraction);
  }
  return budget;
}
