// Per options object, the last task list seen and the digest made from it: the digest is made
// again only when the list changes (a last-seen memo kept per key).
// expect: caching/memoize 8-15 elim 5 "computed on a miss"
interface Entry {
  lastKey: string;
  lastDigest: string[];
}
const entries = new Map<object, Entry>();

export function digestOf(options: object, tasks: Record<string, unknown>): string[] {
  let entry = entries.get(options);
  if (!entry) {
    entry = { lastKey: "", lastDigest: [] };
    entries.set(options, entry);
  }
  const key = JSON.stringify(Object.keys(tasks));
  if (key !== entry.lastKey) {
    entry.lastKey = key;
    entry.lastDigest = Object.keys(tasks).sort();
  }
  return entry.lastDigest;
}
