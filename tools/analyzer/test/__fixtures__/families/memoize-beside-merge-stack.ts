// A deep merge that maps each source object to its copy while the recursion runs (so cycles end),
// and takes the entry back when that branch is done: a stack of objects being merged, neither a
// memo nor a cache whose stale entries are dropped. The same map kept by `cloneAll` is a memo, and
// so is `exportsOf`, which drops its entry only when the walk fails.
// expect: caching/memoize 35-38 elim 3 "computed on a miss"
// expect: caching/memoize 43-58 elim 5 "computed on a miss"
type Plain = Record<string, unknown>;

function isPlain(value: unknown): value is Plain {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function mergeInto(target: Plain, source: Plain, copies = new Map<Plain, Plain>()): void {
  for (const [key, value] of Object.entries(source)) mergeKey(target, key, value, copies);
}

function mergeKey(target: Plain, key: string, value: unknown, copies: Map<Plain, Plain>): void {
  if (!isPlain(value)) {
    target[key] = value;
    return;
  }
  const copy = copies.get(value);
  if (copy !== undefined) {
    target[key] = copy;
    return;
  }
  const into = isPlain(target[key]) ? target[key] : (target[key] = {});
  copies.set(value, into);
  mergeInto(into, value, copies);
  copies.delete(value);
}

export function cloneAll(sources: readonly Plain[], copies: Map<Plain, Plain>): Plain[] {
  return sources.map((source) => {
    const known = copies.get(source);
    if (known !== undefined) return known;
    const copy = structuredClone(source);
    copies.set(source, copy);
    return copy;
  });
}

const exported = new Map<string, Set<string>>();

export function exportsOf(path: string, read: (p: string) => string[]): Set<string> {
  const known = exported.get(path);
  if (known) return known;
  const names = new Set(read(path).filter((n) => !n.startsWith("*")));
  exported.set(path, names);
  try {
    for (const from of read(path).filter((n) => n.startsWith("*")))
      for (const name of exportsOf(from.slice(1), read)) names.add(name);
  } catch (error) {
    exported.delete(path);
    throw error;
  }
  return names;
}
