// A record of bound implementations and the hook that drops one after it failed.
// expect: caching/cache-aside 4-11 elim 5 "loaded"
// expect: caching/cache-invalidate 13-15 elim 3 "a store this code fills on a miss"
const bound: Record<string, (() => void) | undefined> = {};
export function implementation(name: string, lookup: (n: string) => () => void): () => void {
  const hit = bound[name];
  if (hit !== undefined) return hit;
  const made = lookup(name).bind(undefined);
  bound[name] = made;
  return made;
}

export function forget(name: string): void {
  bound[name] = undefined;
}
