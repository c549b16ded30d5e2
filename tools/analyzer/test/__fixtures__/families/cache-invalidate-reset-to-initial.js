// A memo table made by a factory, reset by calling the same factory again.
// expect: caching/memoize 5-12 elim 5 "computed on a miss"
// expect: caching/cache-invalidate 16-16 elim 1 "a store this code fills on a miss"
const createTable = () => Object.create(null);
let patterns = createTable();

function patternFor(glob) {
  if (patterns[glob] === undefined) {
    patterns[glob] = new RegExp(`^${glob.replace(/\*/g, ".*")}$`);
  }
  return patterns[glob];
}

function addRoutes(routes) {
  for (const route of routes) route.matcher = patternFor(route.glob);
  patterns = createTable();
}

module.exports = { addRoutes };
