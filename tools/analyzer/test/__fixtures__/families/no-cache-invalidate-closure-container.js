// A closure-held container whose `clear` is its own API: nothing is computed on a miss.
// expect: none
function makeBag() {
  const items = new Map();
  return {
    get: (k) => items.get(k),
    put: (k, v) => void items.set(k, v),
    clear: () => {
      items.clear();
    },
  };
}
module.exports = { makeBag };
