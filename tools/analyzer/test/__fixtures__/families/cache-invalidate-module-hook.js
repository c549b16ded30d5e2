// A module memo with a reset hook hung on the memo's function (`fn.clear = () => …`).
// expect: caching/memoize 4-13 elim 7 "computed on a miss"
// expect: caching/cache-invalidate 15-17 elim 3 "a store this code fills on a miss"
const outlines = new Map();
function outlineOf(text) {
  let hit = outlines.get(text);
  if (hit !== undefined) {
    return hit;
  }
  hit = text.split("\n").filter((l) => l.startsWith("#"));
  outlines.set(text, hit);
  return hit;
}

outlineOf.clear = () => {
  outlines.clear();
};
module.exports = { outlineOf };
