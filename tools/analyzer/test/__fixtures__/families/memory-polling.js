// Heap usage sampled every ten seconds; caches are dropped above the limit.
// expect: memory/memory-polling 4-7 elim 4 "read in a `setInterval` callback"
function watchHeap(limitBytes, dropCaches) {
  return setInterval(() => {
    const { heapUsed } = process.memoryUsage();
    if (heapUsed > limitBytes) dropCaches();
  }, 10_000).unref();
}

module.exports = { watchHeap };
