// A literal of zeroed defaults whose fields are read and overwritten, never counted up: options,
// not a tally record. (The `error` listener that opens the socket again after a pause is a
// reconnect, reported as such: a retry, no metric object.)
// expect: response/retry-poll 19-19 elim 1 "registers the `error` listener"
function connect(url, given) {
  const options = {
    retries: 0,
    delay: 0,
    timeout: 0,
  };
  Object.assign(options, given);
  let attempt = 0;

  function open(done) {
    const socket = dial(url, options.timeout);
    socket.on("error", (err) => {
      if (attempt >= options.retries) return done(err);
      attempt += 1;
      setTimeout(() => open(done), options.delay);
    });
    socket.on("open", () => done(null, socket));
  }

  return open;
}

function dial(url, timeout) {
  return { url, timeout, on() {} };
}

module.exports = { connect };
