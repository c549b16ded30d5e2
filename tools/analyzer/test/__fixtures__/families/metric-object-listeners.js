// Run statistics counted in one listener each, close together, and handed back as one object:
// one metric object, not one finding per listener.
// expect: monitoring/metric-object 5-13 elim 4 "counters `suites`, `passes`, `failures`"
function collectStats(runner) {
  const stats = { suites: 0, passes: 0, failures: 0 };
  runner.on("suite", () => {
    stats.suites++;
  });
  runner.on("pass", () => {
    stats.passes++;
  });
  runner.on("fail", () => {
    stats.failures++;
  });
  return stats;
}

module.exports = { collectStats };
