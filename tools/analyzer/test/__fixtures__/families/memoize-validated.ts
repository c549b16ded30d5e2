// An index built by a `create…` function and kept per context while the snapshot it was built from
// is the same one: the entry is checked against the inputs before it is reused.
// expect: caching/memoize 11-20 elim 7 "computed on a miss"
interface Snapshot {
  readonly items: readonly string[];
}
interface Index {
  readonly snapshot: Snapshot;
  readonly positions: ReadonlyMap<string, number>;
}
const indexes = new WeakMap<object, Index>();
export function indexFor(context: object, snapshot: Snapshot): Index {
  const cached = indexes.get(context);
  if (cached && cached.snapshot === snapshot && cached.positions.size === snapshot.items.length) {
    return cached;
  }
  const index = createIndex(snapshot);
  indexes.set(context, index);
  return index;
}

function createIndex(snapshot: Snapshot): Index {
  return { snapshot, positions: new Map(snapshot.items.map((item, i) => [item, i])) };
}
