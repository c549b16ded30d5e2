// A file that only turns latencies handed to it (hrtime pairs) into milliseconds: no clock read
// here, the helper is still hand-made timing.
// expect: monitoring/timer-delta 7-9 elim 3 "[seconds, nanoseconds] pair"
const nanosToMillis = 1e6;

// Converts a latency pair.
function toMillis(latency) {
  return latency[0] * 1000 + latency[1] / nanosToMillis;
}

module.exports = { toMillis };
