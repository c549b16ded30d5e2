// A serial queue whose busy state is the id of the step in progress (compared with null), not a
// boolean: the enqueue runs at once when idle, else queues; the step function takes the next.
// expect: response/concurrency-limit 4-26 elim 21 "holds the task in progress"
function makeSerial() {
  const waiting = [];
  let running = null;
  let seq = 0;

  return function submit(job) {
    if (running === null && waiting.length === 0) {
      running = seq++;
      return job(advance);
    }
    waiting.push(job);
  };

  function advance() {
    if (waiting.length > 0) {
      running = seq++;
      const job = waiting.shift();
      job(advance);
    } else {
      running = null;
    }
  }
}

module.exports = { makeSerial };
