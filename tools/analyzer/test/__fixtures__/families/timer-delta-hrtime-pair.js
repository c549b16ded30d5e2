// Helpers that make process.hrtime() pairs into milliseconds: the time between two pairs, scaled by
// module constants, and one pair (already a difference) made into milliseconds.
// expect: monitoring/timer-delta 7-15 elim 9 "[seconds, nanoseconds] pair"
// expect: monitoring/timer-delta 17-19 elim 3 "[seconds, nanoseconds] pair"
const NS_PER_SEC = 1e9;
const NS_PER_MS = 1e6;
function durationInMs(startTime, endTime) {
  if (!Array.isArray(startTime) || !Array.isArray(endTime)) {
    return null;
  }
  const seconds = endTime[0] - startTime[0];
  const nanos = endTime[1] - startTime[1];
  const total = seconds * NS_PER_SEC + nanos;
  return Math.round(total / NS_PER_MS);
}

function toMillis(latency) {
  return latency[0] * 1000 + latency[1] / 1e6;
}

module.exports = { durationInMs, toMillis };
