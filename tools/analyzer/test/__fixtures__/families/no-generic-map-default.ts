// A map keyed by a hash of the key, with the Map-like API: `getOrDefault` fills a missing entry
// from the caller's factory, and `set` writes what the caller gives. The class is the data
// structure (nothing is evicted or recomputed); a memo would be its caller's use of it.
// expect: none
export class HashedMap<K, V> {
  private readonly values = new Map<string, V>();
  private readonly keys = new Map<string, K>();

  constructor(private readonly hash: (key: K) => string) {}

  get(key: K): V | undefined {
    return this.values.get(this.hash(key));
  }

  getOrDefault(key: K, defaultFactory: () => V): V {
    const hash = this.hash(key);
    const found = this.values.get(hash);
    if (found !== undefined) return found;
    const value = defaultFactory();
    this.keys.set(hash, key);
    this.values.set(hash, value);
    return value;
  }

  set(key: K, value: V): void {
    const hash = this.hash(key);
    this.keys.set(hash, key);
    this.values.set(hash, value);
  }

  get size(): number {
    return this.values.size;
  }
}
