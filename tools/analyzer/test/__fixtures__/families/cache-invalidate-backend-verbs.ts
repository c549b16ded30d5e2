// A cache backend's own verb drops an entry of a store this class fills on a miss: `remove(key)`
// beside the read-through that fills it. The same verb on a store known only by its name (a cache
// controller's `role.del(id)` after a write) is the library's API used as it is: no finding.
// expect: caching/memoize 20-26 elim 4 "the value is computed on a miss and kept for the next call"
// expect: caching/cache-invalidate 28-32 elim 5 "a store this code fills on a miss"
interface Backend<V> {
  get(key: string): V | undefined;
  add(key: string, value: V): void;
  remove(key: string): void;
  del(key: string): void;
}

export class Sessions {
  constructor(
    private readonly cache: Backend<string>,
    private readonly load: (token: string) => string,
    private readonly config: { cacheController: { role: Backend<string[]> } },
  ) {}

  lookup(token: string): string {
    const hit = this.cache.get(token);
    if (hit !== undefined) return hit;
    const value = this.load(token);
    this.cache.add(token, value);
    return value;
  }

  forget(token: string): void {
    if (this.cache.get(token) !== undefined) {
      this.cache.remove(token);
    }
  }

  revokeRoles(userId: string): void {
    this.config.cacheController.role.del(userId);
  }
}
