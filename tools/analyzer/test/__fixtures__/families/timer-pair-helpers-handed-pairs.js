// Pair helpers in files that never read the process clock: the pairs are handed in by callers in
// other files, and the helper works out a span — from two pairs, or from one it compares with a
// threshold.
// expect: monitoring/timer-delta 9-13 elim 5 "turns `endTime`, a [seconds, nanoseconds] pair"
// expect: monitoring/timer-delta 15-17 elim 3 "turns `latency`, a [seconds, nanoseconds] pair"
const NS_PER_SEC = 1e9;
const MS_PER_NS = 1e6;

function durationMs(startTime, endTime) {
  const seconds = endTime[0] - startTime[0];
  const nanos = endTime[1] - startTime[1];
  return Math.round((seconds * NS_PER_SEC + nanos) / MS_PER_NS);
}

function toMillis(latency) {
  return latency[0] * 1000 + latency[1] / MS_PER_NS;
}

class RequestLog {
  constructor(slowMs, log) {
    this.slowMs = slowMs;
    this.log = log;
  }

  done(query, latency) {
    if (toMillis(latency) > this.slowMs) this.log(`slow: ${query}`);
  }
}

module.exports = { durationMs, RequestLog };
