// An interval that drives a function of the file that reads no memory (a queue flush), beside a
// one-off memory figure read on request: no poll.
// expect: none
function heapLimitMb() {
  return Math.round(require("v8").getHeapStatistics().heap_size_limit / 1048576);
}

function flushQueue(queue, send) {
  const batch = queue.splice(0);
  if (batch.length > 0) send(batch);
}

function start(queue, send, ms) {
  return setInterval(() => flushQueue(queue, send), ms);
}

module.exports = { heapLimitMb, start };
