// A state change announced once per change, and a list emptied when the period changes: the kept
// key is compared with the input, but nothing computed is kept beside it.
// expect: none
class Watcher {
  constructor(emitter) {
    this.emitter = emitter;
    this.state = null;
    this.period = null;
    this.items = [];
  }

  update(state) {
    if (this.state !== state) {
      this.emitter.emit("change", state);
      this.state = state;
    }
    return this.state;
  }

  record(period, item) {
    if (this.period !== period) {
      this.items = [];
      this.period = period;
    }
    this.items.push(item);
    return this.items;
  }
}

module.exports = { Watcher };
