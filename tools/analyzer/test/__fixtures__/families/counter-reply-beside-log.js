// Near miss of no-counter-reply-count: the same walk's count logged for the operator when the walk
// ends, and the reply carries no count — a tally kept to be reported.
// expect: monitoring/counter 6-14 elim 2 "only incremented"
function sendToNamed(cmd, cb, logger) {
  var ids = Object.keys(cmd.processes);
  var sent = 0;

  (function next(rest) {
    if (rest[0] == null) {
      logger.info({ sent: sent }, "messages sent");
      return cb(null, { success: true });
    }
    cmd.processes[rest[0]].send(cmd.msg);
    sent++;
    rest.shift();
    return next(rest);
  })(ids);
}

module.exports = { sendToNamed };
