// A request stamps when it is sent and reports how long the answer took.
// expect: monitoring/timer-delta 9-13 elim 2 "start mark"
class PendingRequest {
  constructor(emit) {
    this.emit = emit;
  }

  send() {
    this.sentAt = Date.now();
  }

  completed() {
    this.emit("request", { duration: Date.now() - this.sentAt });
  }
}

module.exports = { PendingRequest };
