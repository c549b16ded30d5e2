// A limiter made by a factory: the running count is a local of the factory, raised and lowered
// by the function it returns.
// expect: response/concurrency-limit 4-21 elim 18 "counts running tasks"
function createLimiter(max) {
  let running = 0;
  const waiting = [];
  const next = () => {
    running--;
    const resume = waiting.shift();
    if (resume) resume();
  };
  return async function limit(task) {
    if (running >= max) await new Promise((resolve) => waiting.push(resolve));
    running++;
    try {
      return await task();
    } finally {
      next();
    }
  };
}

module.exports = { createLimiter };
