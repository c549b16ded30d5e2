// Look-alike: a send window's stamp compared with `clock - delta`; the stamp is the limiter's own
// state, not an entry of a store (a rate window, not an expiry).
// expect: none
class Sender {
  constructor(limit, delta) {
    this.window = { count: 0, limit, delta, checkpoint: 0, waiting: [] };
  }

  send(callback) {
    const now = Date.now();
    if (this.window.count < this.window.limit) {
      this.window.count++;
      return callback();
    }
    this.window.waiting.push(callback);
    if (this.window.checkpoint <= now - this.window.delta) {
      return this.reset();
    }
    this.window.checkpoint = now;
    return undefined;
  }

  reset() {
    this.window.count = 0;
    const waiting = this.window.waiting.splice(0);
    for (const cb of waiting) cb();
    return waiting.length;
  }
}

module.exports = { Sender };
