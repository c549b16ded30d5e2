// An uptime getter: the time since a field was stamped, when it was (`mark && now - mark`). The
// mark is set in another method: one range for the mark, one for the getter that exists for it.
// expect: monitoring/timer-delta 9-11 elim 3 "goes to `return this.readyTimestamp"
// expect: monitoring/timer-delta 14-14 elim 1 "read for an elapsed time on line 10"
class Client {
  constructor() {
    this.readyTimestamp = null;
  }
  get uptime() {
    return this.readyTimestamp && Date.now() - this.readyTimestamp;
  }
  triggerReady() {
    this.status = "ready";
    this.readyTimestamp = Date.now();
  }
}
module.exports = { Client };
