// An interval that drives this file's sampler through a helper: the poll is its own construct.
// expect: memory/memory-polling 6-13 elim 8 "reads 4 memory figures"
// expect: memory/memory-polling 23-26 elim 4 "callback calls `captureAll()`"
const v8 = require("v8");

function captureMemory(client) {
  const stats = process.memoryUsage();
  client.gauge("mem.rss", stats.rss);
  client.gauge("mem.heap_used", stats.heapUsed);
  const heap = v8.getHeapStatistics();
  client.gauge("heap.limit", heap.heap_size_limit);
  client.gauge("heap.available", heap.total_available_size);
}

function captureAll(client) {
  captureMemory(client);
  client.gauge("uptime", process.uptime());
}

let interval;

function start(client, ms) {
  interval = setInterval(() => {
    captureAll(client);
    client.flush();
  }, ms);
  interval.unref();
}

function stop() {
  clearInterval(interval);
}

module.exports = { start, stop };
