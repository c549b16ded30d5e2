// A failed connect is tried again from a timer after a fixed pause, up to a bound.
// expect: response/retry-poll 7-15 elim 9 "schedules the operation again"
export class Link {
  attempts = 0;

  start(open) {
    try {
      open();
      this.attempts = 0;
    } catch (e) {
      this.attempts++;
      if (this.attempts > 5) throw e;
      console.error("connect failed: %s", e.message);
      setTimeout(() => this.start(open), 1000);
    }
  }
}
