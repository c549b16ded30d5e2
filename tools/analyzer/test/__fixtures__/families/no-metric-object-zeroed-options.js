// A literal of zeroed defaults whose fields are read and overwritten, never counted up: options,
// not a tally record.
// expect: none
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
