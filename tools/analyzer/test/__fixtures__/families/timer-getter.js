// The uptime getter exists for the elapsed time since the ready stamp taken in another method: the
// getter is the timer's construct there, the stamp another place of it.
// expect: monitoring/timer-delta 6-8 elim 3 "elapsed time `Date.now() - this.readyTimestamp`"
// expect: monitoring/timer-delta 12-12 elim 1 "start mark `this.readyTimestamp = Date.now();`"
export class Client {
  get uptime() {
    return this.readyTimestamp && Date.now() - this.readyTimestamp;
  }

  login(ws) {
    this.ws = ws;
    this.readyTimestamp = Date.now();
  }

  destroy() {
    this.ws.close();
  }
}
