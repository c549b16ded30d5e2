// expect: memory/memory-polling
const LIMIT = 512 * 1024 * 1024;

setInterval(() => {
  const { heapUsed } = process.memoryUsage();
  if (heapUsed > LIMIT) {
    console.warn("memory high", heapUsed);
  }
}, 5000);
