// Near miss of no-seen-walk-visited-set: the set of handled entities is the module's own, kept
// across calls, so a later call skips an entity an earlier call already synced.
// expect: caching/seen-cache 4-10 elim 5 "remembers keys already handled"
const synced = new Set<object>();

export function syncOnce(entity: object, push: (e: object) => void): void {
  if (synced.has(entity)) {
    return;
  }
  synced.add(entity);
  push(entity);
}
