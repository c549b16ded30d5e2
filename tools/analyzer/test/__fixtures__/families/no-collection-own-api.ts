// A collection class's own API: `get`/`put`/`del` hand the store's entries in and out by the
// caller's key, so whoever calls `del` decides what goes. Not an invalidation (nor a memo).
// expect: none
export class KeyValueStore<V> {
  private readonly cache = new Map<string, V>();

  get(key: string): V | null {
    return this.cache.get(key) ?? null;
  }

  put(key: string, value: V): void {
    this.cache.set(key, value);
  }

  del(key: string): void {
    this.cache.delete(key);
  }
}
