// A loader class caching the promise per key, and its own `clear(key)` that drops one.
// expect: caching/memoize 9-18 elim 7 "computed on a miss"
// expect: caching/cache-invalidate 22-22 elim 1 "a store this code fills on a miss"
class Loader {
  constructor(fetchOne) {
    this._fetch = fetchOne;
    this._promises = new Map();
  }
  load(key) {
    const promises = this._promises;
    const cached = promises.get(key);
    if (cached) {
      return cached;
    }
    const promise = this._fetch(key);
    promises.set(key, promise);
    return promise;
  }

  clear(key) {
    const promises = this._promises;
    promises.delete(key);
    return this;
  }
}
module.exports = { Loader };
