// A write retried after a fixed pause while the device is busy, counting attempts.
// expect: response/retry-poll 8-12 elim 5 "counts attempts"
function writeWithRetry(fs, fd, chunk, state, done) {
  fs.write(fd, chunk, (err) => {
    if (!err) {
      state.attempts = 0;
      return done(null);
    } else if (err.code === "EBUSY" && state.attempts < 10) {
      state.attempts++;
      setTimeout(() => writeWithRetry(fs, fd, chunk, state, done), 50);
      return;
    }
    done(err);
  });
}

module.exports = { writeWithRetry };
