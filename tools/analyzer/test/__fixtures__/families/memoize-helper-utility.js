// A get-or-insert helper in a utility module (reported as the keyed flow it is); the calls that
// hand it a kept store in other files are memos too (memoize-imported-helper.js). The upsert
// below runs its updater on every call: not a get-or-insert helper.
// expect: caching/memoize 5-11 elim 4 "writes `table.set(id, made)` on a miss"
function computeMissing(table, id, derive) {
  if (!table.has(id)) {
    const made = derive(id);
    table.set(id, made);
  }
  return table.get(id);
}

function mergeInto(table, id, update) {
  table.set(id, update(table.get(id)));
  return table.get(id);
}

export { computeMissing, mergeInto };
