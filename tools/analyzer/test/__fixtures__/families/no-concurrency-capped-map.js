// A store capped at `max` entries: the bound check evicts (here through a helper), it limits no
// running work.
// expect: none
class Sessions {
  constructor(max) {
    this.max = max;
    this.byKey = new Map();
  }

  remember(key, session) {
    if (this.byKey.size >= this.max) this.dropOldest();
    this.byKey.set(key, session);
  }

  dropOldest() {
    const first = this.byKey.keys().next();
    if (!first.done) this.forget(first.value);
  }

  forget(key) {
    this.byKey.delete(key);
  }
}

module.exports = { Sessions };
