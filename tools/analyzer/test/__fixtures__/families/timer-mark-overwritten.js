// Per-handler timers: the elapsed pair is written back over the start mark's own slot. That
// write is the delta, not a second start mark: the range runs from the mark to it.
// expect: monitoring/timer-delta 6-11 elim 2 "start mark `self.timers[name] = process.hrtime();`"
function startHandlerTimer(self, name) {
  if (!self.timers) self.timers = {};
  self.timers[name] = process.hrtime();
}

function endHandlerTimer(self, name) {
  if (!self.timers || !self.timers[name]) return;
  self.timers[name] = process.hrtime(self.timers[name]);
  self.log.push({ name, time: self.timers[name] });
}

module.exports = { startHandlerTimer, endHandlerTimer };
