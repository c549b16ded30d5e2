// Near misses of no-rate-limit-deadline.ts: an expiry merged into the kept keys by a call, and an
// entry class stamping its own expiry as it is built — both keep a value with the stamp.
// expect: caching/ttl-cache 8-10 elim 3 "compared with the clock"
// expect: caching/ttl-cache 30-30 elim 1 "compared with the clock"
let keys = {};

function keyById(id, fetchKeys) {
  if (keys[id] && keys.expiresAt > new Date()) {
    return keys[id];
  }
  return fetchKeys().then(({ found, maxAge }) => {
    keys = Object.assign({}, found, { expiresAt: new Date(Date.now() + maxAge * 1000) });
    return found[id];
  });
}

class Entry {
  constructor(value, ttl) {
    this.value = value;
    this.expireTime = Date.now() + ttl;
  }
}

class PlainEntry {
  constructor(ttl) {
    this.expireTime = Date.now() + ttl;
  }

  validate() {
    return Date.now() < this.expireTime;
  }
}

module.exports = { keyById, Entry, PlainEntry };
