/**
 * One invalidation of a cache: a key, a tag, a key prefix, or everything.
 * @typeParam K - key type
 */
export type TierInvalidation<K> =
  | {
      /** One key (`delete`). */
      readonly kind: "key";
      /** The key. */
      readonly key: K;
    }
  | {
      /** Every entry with a tag (`invalidateTag`). */
      readonly kind: "tag";
      /** The tag. */
      readonly tag: string;
    }
  | {
      /** Every string key that starts with a prefix (`invalidatePrefix`). */
      readonly kind: "prefix";
      /** The prefix. */
      readonly prefix: string;
    }
  | {
      /** Everything (`clear`). */
      readonly kind: "clear";
    };

/** How long an entry lives and what it is tagged with. */
export interface TierEntry {
  /** Time to live in milliseconds; `0` means no expiry. */
  readonly ttl: number;
  /** Its tags, for `invalidateTag`. */
  readonly tags: readonly string[] | undefined;
}

/**
 * Why a second tier's `read` found no value: the tier does not have it (`"miss"`), or could not
 * answer (`"unavailable"`: circuit open, timeout, error).
 */
export type TierReadMiss = "miss" | "unavailable";

/** What a cache asks of its second tier when a key is missing from memory. */
export interface TierLoadRequest<V> {
  /** TTL and tags a value loaded now is stored with. */
  readonly entry: TierEntry;
  /** Aborted when the load times out or is cancelled: stop waiting and reject. */
  readonly signal: AbortSignal;
  /** `getOrLoad(…, { forceRefresh: true })`: skip the tier's copy and load. */
  readonly forceRefresh: boolean;
  /** Calls the cache's loader (counted as a load of the cache). */
  readonly load: () => Promise<V>;
  /**
   * What a {@link SecondTierBinding.read} of this key just found, when the cache read first, so
   * that the tier does not ask again: `"miss"`, go on to fill the key; `"unavailable"`, call the
   * loader. `undefined` when no read came first.
   */
  readonly after?: TierReadMiss;
}

/** A value the second tier returned, with what the in-memory copy may keep. */
export interface TierValue<V> {
  /** The value. */
  readonly value: V;
  /** Milliseconds the in-memory copy may live (the tier's remaining TTL); `0` means no expiry. */
  readonly ttl: number;
  /** Its tags, so a copy read from the tier is invalidated by tag like one loaded here. */
  readonly tags: readonly string[] | undefined;
  /**
   * `false`: give the value to the callers waiting for it, but keep no in-memory copy (it was
   * invalidated while it loaded, more often than the tier retries).
   */
  readonly keep: boolean;
}

/**
 * A second cache tier under a `Cache` (`@perflayer/cache-redis` provides one on Redis). The cache
 * keeps its in-memory tier (L1) and calls the second tier on a miss, on writes and on
 * invalidations; the second tier tells the cache when another process invalidated something, so
 * the in-memory copy is dropped.
 *
 * @example
 * ```ts
 * const caches = new CacheManager({ defaults: { secondTier: tier } }); // tier: e.g. a RedisTier
 * ```
 */
export interface SecondTier {
  /**
   * Connects one cache to the tier. Called once, when the cache is created.
   * @typeParam K - key type
   * @typeParam V - value type
   * @param cache - the cache name
   * @param onRemoteInvalidation - drops in-memory copies another process invalidated
   * @returns the cache's side of the tier
   */
  bind<K, V>(
    cache: string,
    onRemoteInvalidation: (change: TierInvalidation<K>) => void,
  ): SecondTierBinding<K, V>;
}

/**
 * One cache's side of a {@link SecondTier}.
 * @typeParam K - key type
 * @typeParam V - value type
 */
export interface SecondTierBinding<K, V> {
  /**
   * The fast path of a memory miss: the tier's value of `key`, read without the cache's load
   * machinery (no abort controller, load timer or loader). Optional: without it the cache calls
   * `load` at once. On a miss the cache calls `load` with `request.after` set to what this
   * returned. Never rejects because the tier is unavailable.
   * @param key - the key
   * @returns the value and what the in-memory copy may keep, or why there is none
   */
  read?(key: K): Promise<TierValue<V> | TierReadMiss>;
  /**
   * Returns the tier's value of `key`, or loads it with `request.load`, stores it in the tier and
   * returns it. Never rejects because the tier is unavailable: it loads instead.
   * @param key - the key
   * @param request - TTL, tags, signal and the loader
   * @returns the value and what the in-memory copy may keep
   */
  load(key: K, request: TierLoadRequest<V>): Promise<TierValue<V>>;
  /**
   * Writes a `set` through to the tier and tells other processes to drop their copy. May throw a
   * typed error for a value the tier cannot hold (too large, not serialisable).
   * @param key - the key
   * @param value - the value
   * @param entry - its TTL and tags
   */
  set(key: K, value: V, entry: TierEntry): void;
  /**
   * Removes from the tier and tells other processes to drop their copies.
   * @param change - what to remove
   */
  invalidate(change: TierInvalidation<K>): void;
  /** Stops telling the cache about remote invalidations. */
  close(): void;
}
