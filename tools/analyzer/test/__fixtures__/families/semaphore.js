// A counting semaphore: permits taken or the caller queued, given back to the next waiter.
// expect: response/concurrency-limit 3-26 elim 22 "counts free permits"
class Semaphore {
  constructor(permits) {
    this.permits = permits;
    this.waiters = [];
  }

  acquire(callback) {
    if (this.permits > 0) {
      this.permits--;
      callback();
    } else {
      this.waiters.push(callback);
    }
  }

  release() {
    this.permits++;
    const next = this.waiters.shift();
    if (next !== undefined) {
      this.permits--;
      next();
    }
  }
}

module.exports = { Semaphore };
