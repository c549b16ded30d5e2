// Get-or-compute over asynchronous stores: the entry arrives in a `.then` (the cacher's own get) or
// in a node-style callback (the store's), a hit (anything but the "missing" sentinel) is served, and
// on a miss the handler's result is stored (with its time to live, or a completion callback).
// expect: caching/cache-aside 22-26 elim 4 "reads `this.get(key)` and checks it"
// expect: caching/cache-aside 35-38 elim 2 "writes `this.store.set(key, result, () => callback(null…` on a miss"
export class Cacher {
  constructor(store, missing) {
    this.store = store;
    this.missing = missing;
  }

  get(key) {
    return this.store.read(key);
  }

  set(key, value, ttl) {
    return this.store.write(key, value, ttl);
  }

  wrap(key, handler, ttl) {
    return this.get(key).then((content) => {
      if (content !== this.missing) {
        return content;
      }
      return handler().then((result) => {
        this.set(key, result, ttl);
        return result;
      });
    });
  }

  provide(key, compute, callback) {
    this.store.get(key, (err, entry) => {
      if (err) return callback(err);
      if (entry !== undefined) return callback(null, entry);
      compute((error, result) => {
        if (error) return callback(error);
        this.store.set(key, result, () => callback(null, result));
      });
    });
  }
}
