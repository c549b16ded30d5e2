// Entries dropped through a cache backend's own verbs: `remove(key)` on an injected cache and
// `del(id)` on the stores a cache controller holds.
// expect: caching/cache-invalidate 17-21 elim 5 "a store this code fills on a miss"
// expect: caching/cache-invalidate 23-25 elim 3 "a store this code fills on a miss"
interface Backend<V> {
  get(key: string): V | undefined;
  add(key: string, value: V): void;
  remove(key: string): void;
}

export class Sessions {
  constructor(
    private readonly cache: Backend<string>,
    private readonly config: { cacheController: { role: Backend<string[]> } },
  ) {}

  forget(token: string): void {
    if (this.cache.get(token) !== undefined) {
      this.cache.remove(token);
    }
  }

  revokeRoles(userId: string): void {
    this.config.cacheController.role.del(userId);
  }
}
