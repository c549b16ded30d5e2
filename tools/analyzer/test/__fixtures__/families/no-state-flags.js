// A set of protocol states keyed by constants: flags of one connection, not handled keys.
// expect: none
const Phase = { SENT: 1, RECEIVED: 2 };

class Closing {
  constructor() {
    this.phases = new Set();
  }

  send(write) {
    if (this.phases.has(Phase.SENT)) return;
    this.phases.add(Phase.SENT);
    write("close");
  }
}

module.exports = { Closing };
