// A reconnect that waits a delay, tries to open, and on a failure runs itself again (through the
// `self` alias), until the attempts are used up.
// expect: response/retry-poll 12-25 elim 14 "schedules the operation again"
class Manager {
  constructor(open, maxAttempts, delay) {
    this.open = open;
    this.maxAttempts = maxAttempts;
    this.delay = delay;
    this.attempts = 0;
  }

  reconnect() {
    const self = this;
    if (this.attempts >= this.maxAttempts) return;
    this.timer = setTimeout(() => {
      self.attempts += 1;
      self.open((err) => {
        if (err) {
          self.reconnect();
        } else {
          self.attempts = 0;
        }
      });
    }, this.delay);
  }
}

module.exports = { Manager };
