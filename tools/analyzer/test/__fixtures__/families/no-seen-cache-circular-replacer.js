// A JSON replacer made per `stringify`: its `seen` set breaks cycles in one traversal — no seen-cache.
// expect: none
function circularReplacer() {
  const seen = new WeakSet();
  return function replace(_key, value) {
    if (typeof value === "object" && value !== null) {
      if (seen.has(value)) {
        return "[Circular]";
      }
      seen.add(value);
    }
    return value;
  };
}
module.exports = { circularReplacer };
