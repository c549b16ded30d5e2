// A store whose lookups take `null` for a hit (`=== undefined` is the miss): `set(k, null)` in
// another method records an answer of nothing (the entry was found missing), a fill, not a drop.
// expect: caching/memoize 10-18 elim 6 "computed on a miss"
class Sizes {
  constructor(stat) {
    this._stat = stat;
    this._sizes = new Map();
  }

  sizeOf(path) {
    const known = this._sizes.get(path);
    if (known !== undefined) {
      return known;
    }
    const size = this._stat(path);
    this._sizes.set(path, size);
    return size;
  }

  markMissing(path) {
    this._sizes.set(path, null);
  }
}
module.exports = { Sizes };
