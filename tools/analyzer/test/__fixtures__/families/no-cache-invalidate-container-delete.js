// A plain keyed container: its own `delete(key)` passes through to the map it wraps — not an
// invalidation (nothing in the class computes on a miss).
// expect: none
class Registry {
  constructor() {
    this._items = new Map();
  }
  get(key) {
    return this._items.get(key);
  }
  set(key, value) {
    this._items.set(key, value);
    return this;
  }
  delete(key) {
    const items = this._items;
    items.delete(key);
    return this;
  }
}
module.exports = { Registry };
