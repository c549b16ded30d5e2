// A slot filled on first use and emptied by change handlers given as arrows (`() => this.x = null`).
// expect: caching/cache-invalidate 8-9 elim 2 "a store this code fills on a miss"
// expect: caching/memoize 12-17 elim 3 "the slot is emptied elsewhere"
class Picker {
  constructor(members, rank) {
    this._members = members;
    this._rank = rank;
    members.on("join", () => this._chosen = null);
    members.on("leave", () => (this._chosen = null));
    this._chosen = null;
  }
  chosen() {
    if (this._chosen === null) {
      this._chosen = this._members.values().filter((m) => this._rank(m) > 0);
    }
    return this._chosen;
  }
}
module.exports = { Picker };
