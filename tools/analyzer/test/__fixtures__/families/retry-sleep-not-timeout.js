// A call retried after a growing sleep: the timer runs again the function it sits in, a level up
// (the sleep before the next attempt, the retry detector's), and a probe that schedules itself
// again after a failure (a poll loop) — neither timer fails the operation when it fires.
// expect: response/retry-backoff 15-18 elim 4 "delay multiplied"
function retryable(send, done, limitMs) {
  let delay = 100;
  let started = Date.now();
  function repeat(lastError) {
    if (Date.now() - started >= limitMs) {
      done(new Error("Total timeout exceeded: " + String(lastError)));
      return;
    }
    send((err, value) => {
      if (!err) return done(null, value);
      setTimeout(() => {
        delay = delay * 2;
        repeat(err);
      }, delay);
    });
  }
  repeat();
}

module.exports = { retryable };
