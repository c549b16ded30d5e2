// Consecutive reconnection failures scale the wait before the next try: the count, multiplied by
// the ping timeout, is the delay handed to the timer (a backoff's attempt number); a second one is
// copied into a local that is squared into the next delay. Logged on the way, neither is a metric.
// expect: response/retry-backoff 14-21 elim 8 "delay grows with the attempt"
export class Reconnector {
  constructor(connect, logger, pingTimeout) {
    this.connect = connect;
    this.logger = logger;
    this.pingTimeout = pingTimeout;
    this.failures = 0;
    this.reconnects = 0;
  }

  retryLater() {
    this.failures += 1;
    const wait = this.pingTimeout * this.failures;
    this.logger.debug(`waiting ${wait} ms after ${this.failures} failures`);
    return new Promise((resolve) => {
      setTimeout(() => resolve(this.connect()), wait);
    });
  }

  nextDelay(failed) {
    let count = this.reconnects;
    if (failed) {
      this.reconnects++;
    } else {
      this.reconnects = 0;
      count = 0;
    }
    this.logger.debug(`reconnect ${this.reconnects}`);
    return Math.pow(Math.min(count, 6), 2) * 1000;
  }
}
