// A promise retrier: on a retriable failure, a helper arms a timer that runs the attempt again.
// expect: response/retry-poll 6-14 elim 9 "schedules the operation again through `scheduleNext`"
function retrier(fn, retries, delayMs) {
  return new Promise((resolve, reject) => {
    const attempt = (count) => {
      const scheduleNext = () => {
        setTimeout(() => attempt(count + 1), delayMs);
      };
      fn(count)
        .then(resolve)
        .catch((error) => {
          if (error.retriable && count < retries) scheduleNext();
          else reject(error);
        });
    };
    attempt(0);
  });
}

module.exports = { retrier };
