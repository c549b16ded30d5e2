import type { Cache } from "./cache.js";

/**
 * A `Map`-compatible view of a {@link Cache}, so a hand-rolled `Map` cache migrates by changing one
 * constructor call: `new Map()` becomes `caches.map("users", { max: 10_000, ttl: 60_000 })`. Reads
 * and writes go to the cache (bounded, expiring, counted); iteration skips expired entries.
 *
 * @typeParam K - key type
 * @typeParam V - value type
 */
export class CacheMap<K extends NonNullable<unknown>, V> implements Map<K, V> {
  /** The cache behind this view. */
  readonly cache: Cache<K, V>;

  /** @param cache - the cache to expose as a Map */
  constructor(cache: Cache<K, V>) {
    this.cache = cache;
  }

  /** @returns the number of entries */
  get size(): number {
    return this.cache.size;
  }

  /** @returns `"CacheMap"` */
  get [Symbol.toStringTag](): string {
    return "CacheMap";
  }

  /**
   * @param key - the key
   * @returns the fresh value, or undefined
   */
  get(key: K): V | undefined {
    return this.cache.get(key);
  }

  /**
   * @param key - the key
   * @param value - the value
   * @returns this map
   */
  set(key: K, value: V): this {
    this.cache.set(key, value);
    return this;
  }

  /**
   * @param key - the key
   * @returns whether a fresh value is cached
   */
  has(key: K): boolean {
    return this.cache.has(key);
  }

  /**
   * @param key - the key
   * @returns whether an entry was removed
   */
  delete(key: K): boolean {
    return this.cache.delete(key);
  }

  /** Removes every entry. */
  clear(): void {
    this.cache.clear();
  }

  /** @returns the keys of fresh entries */
  keys(): MapIterator<K> {
    return this.cache.keys();
  }

  /** @returns the values of fresh entries */
  *values(): MapIterator<V> {
    for (const [, value] of this.cache.entries()) yield value;
  }

  /** @returns `[key, value]` pairs of fresh entries */
  entries(): MapIterator<[K, V]> {
    return this.cache.entries();
  }

  /** @returns `[key, value]` pairs of fresh entries */
  [Symbol.iterator](): MapIterator<[K, V]> {
    return this.cache.entries();
  }

  /**
   * Calls `callback` for each fresh entry.
   * @param callback - receives value, key and this map
   * @param thisArg - `this` for the callback
   */
  forEach(callback: (value: V, key: K, map: Map<K, V>) => void, thisArg?: unknown): void {
    for (const [key, value] of this.cache.entries()) callback.call(thisArg, value, key, this);
  }
}
