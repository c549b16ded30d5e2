// `null` kept on purpose as a "do not keep" mark (the fill skips an entry that reads `null`): the
// `set(k, null)` at registration marks the entry, it drops nothing.
// expect: caching/memoize 19-29 elim 6 "computed on a miss"
class Encoded {
  constructor(encode) {
    this._encode = encode;
    this._values = new Map();
    this._bytes = new Map();
  }

  register(id, value, keep) {
    this._values.set(id, value);
    if (!keep) {
      this._bytes.set(id, null);
    }
    return id;
  }

  bytesOf(id) {
    const held = this._bytes.get(id);
    if (held) {
      return held;
    }
    const bytes = this._encode(this._values.get(id));
    if (held !== null) {
      this._bytes.set(id, bytes);
    }
    return bytes;
  }
}
module.exports = { Encoded };
