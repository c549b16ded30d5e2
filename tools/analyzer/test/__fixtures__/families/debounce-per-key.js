// One debounce per key: each call clears that key's pending timer and arms a new one, so only the
// last call of a burst for a key writes.
// expect: response/debounce 8-11 elim 4 "arms it again on every call"
const pending = {};

function touch(store, key, value) {
  if (!store.enabled) return;
  clearTimeout(pending[key]);
  pending[key] = setTimeout(() => {
    store.write(key, value);
  }, 250);
}

module.exports = { touch };
