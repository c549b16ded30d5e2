// Per-query stores made together on first use, under a test that one of them is still missing:
// their creation, not an invalidation. Emptying the resolved-name store when the schema changes is.
// expect: caching/memoize 15-18 elim 3 "computed on a miss"
// expect: caching/cache-invalidate 24-26 elim 3 "a store this code fills on a miss"
function prepare(state) {
  if (state.minify && !state.mapping) {
    state.mapping = new Map();
    state.resolvedCache = {};
  }
  return state;
}

function resolveName(state, table, column) {
  const key = `${table}.${column}`;
  const known = state.resolvedCache[key];
  if (known !== undefined) return known;
  const name = `${table}_${column}`.toLowerCase().replace(/[^a-z0-9_]/g, "_");
  state.resolvedCache[key] = name;
  state.mapping.set(name, key);
  return name;
}

// A schema change: names resolved before it are stale.
function onSchemaChanged(state) {
  state.resolvedCache = {};
}

module.exports = { prepare, resolveName, onSchemaChanged };
