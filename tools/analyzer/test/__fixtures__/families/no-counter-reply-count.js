// Counts that are a call's reply: processes a message reached, counted as a recursive walk sends it
// and handed to the caller's callback in the reply object; records imported, counted in a promise's
// listeners and resolved as the result. Each count lives for one call and is its answer.
// expect: none
function sendToNamed(cmd, cb) {
  var ids = Object.keys(cmd.processes);
  var sent = 0;

  (function next(rest) {
    if (rest[0] == null) {
      return cb(null, { process_count: sent, success: true });
    }
    cmd.processes[rest[0]].send(cmd.msg);
    sent++;
    rest.shift();
    return next(rest);
  })(ids);
}

function importAll(stream) {
  return new Promise((resolve, reject) => {
    let imported = 0;
    stream.on("data", (record) => {
      record.save();
      imported += 1;
    });
    stream.on("end", () => resolve({ imported }));
    stream.on("error", reject);
  });
}

module.exports = { sendToNamed, importAll };
