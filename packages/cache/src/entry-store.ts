/** Any cached value (`undefined` is never stored). */
export type Stored = NonNullable<unknown>;

/**
 * What a `Cache` asks of the store holding its entries: the part of lru-cache's API it uses. An
 * LRU cache is a plain `LRUCache`; a W-TinyLFU cache is a `TinyLfuStore`, which keeps an
 * `LRUCache` as the store and decides itself which entry leaves when a bound is exceeded.
 * @internal
 */
export interface EntryStore<K> {
  /** Entries held, stale ones included. */
  readonly size: number;
  /** Bytes held (the sum of entry sizes) when bytes are tracked, otherwise 0. */
  readonly calculatedSize: number;
  /** The fresh value of `key`, recording the access. */
  get(key: K): Stored | undefined;
  /** The value of `key` without recording an access. */
  peek(key: K, options?: { allowStale?: boolean }): Stored | undefined;
  /** Whether `key` has a fresh value. */
  has(key: K): boolean;
  /** Stores a value, with its own TTL and size when given. */
  set(key: K, value: Stored, options?: { ttl?: number; size?: number }): unknown;
  /** Removes `key`. */
  delete(key: K): boolean;
  /** Removes every entry. */
  clear(): void;
  /** Removes the least recently used entry. */
  pop(): Stored | undefined;
  /** Keys of fresh entries, most recently used first. */
  keys(): Iterable<K>;
  /** Fresh entries, most recently used first. */
  entries(): Iterable<[K, Stored]>;
  /** Every entry, stale ones included (only the keys are read). */
  dump(): [K, unknown][];
  /** Milliseconds until `key` expires (negative once stale). */
  getRemainingTTL(key: K): number;
  /** Removes stale entries. */
  purgeStale(): boolean;
}
