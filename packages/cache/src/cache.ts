import { LRUCache } from "lru-cache";
import {
  AbortError,
  PerflayerConfigError,
  PerflayerError,
  assertFunction,
  assertNumber,
  estimateSize,
  invalid,
  raceSignal,
} from "@perflayer/core";
import type { Clock, CounterHandle, Reclaimer, Resizable } from "@perflayer/core";
import type { CacheMetricHandles, CacheStats, EvictionCounts } from "./cache-metrics.js";
import type { EntryStore, Stored } from "./entry-store.js";
import { TinyLfuStore } from "./tinylfu-store.js";
import type {
  GetOrLoadOptions,
  Loader,
  ResolvedCacheOptions,
  SetOptions,
} from "./cache-options.js";
import { describeKey } from "./cache-options.js";
import { runLoader } from "./run-loader.js";
import type {
  SecondTierBinding,
  TierInvalidation,
  TierReadMiss,
  TierValue,
} from "./second-tier.js";

/**
 * Slots a plain cache's store starts with when `max` is large: lru-cache reserves its slot arrays
 * for `max` entries at construction (about 28 bytes a slot, 28 MB for `max: 1_000_000`), so the
 * store starts at this and doubles as it fills, up to `max`.
 */
const INITIAL_STORE_SLOTS = 4_096;

/**
 * The `max` above which a plain cache's store starts small: lru-cache's 32-bit arrays (at most
 * 2^16 slots use 16-bit ones, about 1.4 MB in all). Below it the store is reserved at once: with a
 * 10,000-entry store grown in the process, the cache benchmarks' `set` counted 2.6–4.2 % more
 * instructions per call (`pnpm check:bench`), not understood yet.
 */
const SMALL_START_ABOVE = 65_536;

/** A cached loader failure (negative caching), kept outside lru-cache so hits never check for it. */
interface Failure {
  readonly error: unknown;
  readonly until: number;
}

/** A stale value of a key, and whether it is served at once (else only if its load fails). */
interface StaleValue<V> {
  readonly value: V;
  readonly now: boolean;
}

/** A load in flight: every caller of the key shares it. */
interface Inflight<V> {
  readonly promise: Promise<V>;
  /** Rejects its waiters with `reason` (an `AbortError`) and aborts the loader's signal. */
  readonly cancel: (reason: Error) => void;
  /** The stale value served while this refresh runs (stale-while-revalidate). */
  readonly stale: V | undefined;
  /** The tags its value will be stored with: `invalidateTag` cancels the load too. */
  readonly tags: readonly string[] | undefined;
}

/**
 * Everything a {@link Cache} gets from its manager.
 * @internal
 */
export interface CacheInit<K, V> {
  /** The cache name. */
  readonly name: string;
  /** Validated options. */
  readonly options: ResolvedCacheOptions<K, V>;
  /** Time source. */
  readonly clock: Clock;
  /** Bound metric handles. */
  readonly metrics: CacheMetricHandles;
  /** Whether `clock` is the system clock (lru-cache may then debounce its clock reads). */
  readonly systemTime: boolean;
}

/**
 * One named cache, created by `CacheManager.cache()`. lru-cache holds the entries (recency, TTL,
 * byte accounting, stale reads); this class adds single-flight load-through with timeouts and
 * abort, stale-while-revalidate with a hard limit, negative caching, TTL jitter, typed errors for
 * bad sizes, tag and prefix invalidation, stats and metrics, and the `Reclaimer` and `Resizable`
 * interfaces (a memory budget can shed entries and steer its capacity).
 *
 * @typeParam K - key type
 * @typeParam V - value type (anything but `undefined`; `null` is a cacheable value)
 */
export class Cache<K extends NonNullable<unknown>, V> implements Reclaimer, Resizable {
  /** The cache name (also its metric label and reclaimer name). */
  readonly name: string;
  /** The options in force, after defaults. */
  readonly options: ResolvedCacheOptions<K, V>;

  #lru: EntryStore<K>;
  readonly #lruOptions: LRUCache.Options<K, Stored, unknown>;
  readonly #tinyLfu: TinyLfuStore<K> | undefined;
  readonly #clock: Clock;
  readonly #metrics: CacheMetricHandles;
  readonly #hitCounter: CounterHandle;
  readonly #sizeOf: ((value: V, key: K) => number) | undefined;
  readonly #failures: Map<K, Failure> | undefined;
  readonly #inflight = new Map<K, Inflight<V>>();
  /** Keys whose last load failed while a stale value stood in (stale-if-error): served at once. */
  readonly #erroring: Set<K> | undefined;
  readonly #tier: SecondTierBinding<K, V> | undefined;
  #keyTags: Map<K, readonly string[]> | undefined;
  #tagKeys: Map<string, Set<K>> | undefined;
  #pressure = false;
  #expiring = false;
  #closed = false;
  #warnedOversize = false;
  /** Capacity set by `resize()`, in bytes (undefined: never resized). */
  #steeredBytes: number | undefined;
  /** Entry bound from `resize()` for caches without byte tracking (Infinity: none). */
  #entryLimit = Number.POSITIVE_INFINITY;
  /** Byte bound from `resize()` for byte-tracked caches (Infinity: none). */
  #byteLimit = Number.POSITIVE_INFINITY;
  /** Whether the entry bound was set on an empty cache and awaits an average entry size. */
  #needsEntryBound = false;
  /** The size at which a store below `max` (small at start, or shrunk) grows (Infinity: none). */
  #growAt = Number.POSITIVE_INFINITY;

  #hits = 0;
  #misses = 0;
  #staleHits = 0;
  #loads = 0;
  /** `invalidateTag` calls so far: a tier read whose tags were unknown when it started checks it. */
  #tagInvalidations = 0;
  #loadErrors = 0;
  #loadTimeouts = 0;
  #refreshFailures = 0;
  #staleOnError = 0;
  #loadTimeMs = 0;
  readonly #evictions: EvictionCounts = { size: 0, ttl: 0, manual: 0, pressure: 0 };

  /**
   * Caches are created by `CacheManager.cache()`.
   * @internal
   * @param init - name, resolved options, clock and bound metrics
   */
  constructor(init: CacheInit<K, V>) {
    this.name = init.name;
    this.options = init.options;
    this.#clock = init.clock;
    this.#metrics = init.metrics;
    this.#hitCounter = init.metrics.hit;
    this.#sizeOf = init.options.sizeOf;
    this.#failures = init.options.negativeTtl > 0 ? new Map() : undefined;
    this.#erroring = init.options.staleIfError > 0 ? new Set() : undefined;
    const { max, maxSize, ttl, updateAgeOnGet } = init.options;
    const clock = init.clock;
    // Resolved options always carry `max` or `maxSize`, the bound lru-cache's option union asks for.
    const lruOptions = {
      ...(max > 0 ? { max } : {}),
      ...(maxSize > 0
        ? {
            maxSize,
            sizeCalculation: (value: Stored, key: K): number => this.#measure(value as V, key),
          }
        : {}),
      ...(ttl > 0 ? { ttl: Math.max(1, Math.round(ttl)) } : {}),
      // Only options that differ from lru-cache's defaults, so its instances keep one shape.
      // lru-cache treats a start time of 0 as "no TTL", so a manual clock is kept strictly positive.
      ...(init.systemTime ? {} : { perf: { now: () => clock.now() + 1 }, ttlResolution: 0 }),
      ...(updateAgeOnGet ? { updateAgeOnGet } : {}),
      // Stale entries stay for stale-while-revalidate and stale-if-error; the sweep removes them
      // after the windows.
      ...(staleWindow(init.options) > 0 ? { noDeleteOnStaleGet: true } : {}),
      noDisposeOnSet: true,
      dispose: (_value: Stored, key: K, reason: LRUCache.DisposeReason) =>
        this.#onDispose(key, reason),
    } as LRUCache.Options<K, Stored, unknown>;
    this.#lruOptions = lruOptions;
    const tinyLfu = init.metrics.tinyLfu;
    this.#tinyLfu = tinyLfu === undefined ? undefined : new TinyLfuStore<K>(lruOptions, tinyLfu);
    if (this.#tinyLfu !== undefined) this.#lru = this.#tinyLfu;
    else if (this.#releasableStore() && max > SMALL_START_ABOVE) {
      // A small store that doubles as it fills (`#growStore`), not one reserved for `max` up front.
      this.#lru = new LRUCache<K, Stored>({ ...lruOptions, max: INITIAL_STORE_SLOTS });
      this.#growAt = INITIAL_STORE_SLOTS;
    } else this.#lru = new LRUCache<K, Stored>(lruOptions);
    this.#tier = init.options.secondTier?.bind<K, V>(init.name, (change) =>
      this.#dropLocal(change),
    );
  }

  /** @returns the number of entries held (including stale ones within the stale window) */
  get size(): number {
    return this.#lru.size;
  }

  /**
   * Bytes held — the one definition of a cache's size, shared by `stats().sizeBytes`, the
   * `perflayer_cache_size_bytes` gauge and `estimatedBytes()` (what the memory optimizer sees, which
   * adds the spare storage of a cache bounded by `max`): the
   * sum of `sizeOf` over the entries when the cache tracks bytes (`maxSize`), otherwise the average
   * `sizeOf` (default core's `estimateSize` of the value) of a sample of up to 32 entries times the
   * entry count.
   * @returns bytes held
   */
  get sizeBytes(): number {
    if (this.options.maxSize > 0) return this.#lru.calculatedSize;
    const size = this.#lru.size;
    return size === 0 ? 0 : Math.round(this.#averageEntryBytes() * size);
  }

  /**
   * Returns the fresh value of `key`, or `undefined`. Counts a hit or a miss.
   * @param key - the key
   * @returns the value, or undefined when absent or expired
   */
  get(key: K): V | undefined {
    const value = this.#lru.get(key);
    if (value !== undefined) {
      this.#hits++;
      this.#hitCounter.inc();
      return value as V;
    }
    this.#misses++;
    this.#metrics.miss.inc();
    return undefined;
  }

  /**
   * Returns the value of `key` without counting a lookup or refreshing its recency.
   * @param key - the key
   * @returns the fresh value, or undefined
   */
  peek(key: K): V | undefined {
    return this.#lru.peek(key) as V | undefined;
  }

  /**
   * Whether `key` has a fresh value. Does not count a lookup.
   * @param key - the key
   * @returns true when a fresh value is cached
   */
  has(key: K): boolean {
    return this.#lru.has(key);
  }

  /**
   * Stores `value` under `key`.
   * @param key - the key
   * @param value - anything but `undefined`
   * @param options - per-entry `ttl` and `tags`
   * @returns this cache
   */
  set(key: K, value: V, options?: SetOptions): this {
    if (this.#closed) throw this.#closedError();
    if (value === undefined) {
      throw invalid(
        {
          name: "value",
          expected: "a value other than undefined",
          got: value,
          fix: "Use delete(key) to remove an entry, or store null.",
          context: `cache "${this.name}".set(${describeKey(key)})`,
        },
        "ERR_INVALID_ARGUMENT",
      );
    }
    this.#failures?.delete(key);
    // A write wins over a load in flight: the load's waiters still get its value, it is not stored.
    if (this.#inflight.size > 0) this.#inflight.delete(key);
    if (
      this.#sizeOf === undefined &&
      options === undefined &&
      this.options.ttlJitter === 0 &&
      this.#tier === undefined
    ) {
      if (this.#keyTags?.has(key) === true) this.#untag(key);
      if (this.#lru.size >= this.#growAt) this.#growStore();
      this.#lru.set(key, value as Stored);
      if (this.#lru.size > this.#entryLimit) this.#trim(false);
      return this;
    }
    const ttl = this.#ttlFor(options?.ttl);
    this.#store(key, value, ttl, options?.tags, true);
    if (this.#tier !== undefined) {
      try {
        this.#tier.set(key, value, { ttl, tags: options?.tags });
      } catch (error) {
        this.#lru.delete(key); // the tier refused it (too large, not serialisable): nowhere holds it
        throw error;
      }
    }
    return this;
  }

  /**
   * Returns the cached value of `key`, or loads it: concurrent callers of one key share one loader
   * call (single-flight). Expired values within `staleWhileRevalidate` are returned at once while
   * one background refresh runs; within `staleIfError` they stand in for a load that fails. Loader
   * failures reach every waiter and are not cached unless `negativeTtl` is set.
   * @param key - the key
   * @param loader - loads the value; receives an `AbortSignal` and any stale value
   * @param options - per-entry `ttl`/`tags`, a `loadTimeoutMs` override, this caller's `signal`
   * @returns the value
   */
  async getOrLoad(key: K, loader: Loader<K, V>, options?: GetOrLoadOptions): Promise<V> {
    const force = options?.forceRefresh === true;
    if (!force) {
      const cached = this.#lru.get(key);
      if (cached !== undefined) {
        this.#hits++;
        this.#hitCounter.inc();
        return cached as V;
      }
    }
    if (this.#closed) throw this.#closedError();
    const failure = this.#failures?.get(key);
    if (failure !== undefined) {
      if (this.#clock.now() < failure.until) {
        this.#misses++;
        this.#metrics.miss.inc();
        throw failure.error;
      }
      this.#failures?.delete(key);
    }
    assertFunction(loader, {
      name: "loader",
      fix: "Pass e.g. (key, { signal }) => fetchUser(key, { signal }).",
      context: `cache "${this.name}".getOrLoad(${describeKey(key)})`,
    });
    let inflight = this.#inflight.get(key);
    if (inflight === undefined) {
      const staleValue = force ? undefined : this.#staleOf(key);
      inflight =
        staleValue === undefined && !force && this.#tier?.read !== undefined
          ? this.#readThrough(key, this.#tier, loader, options)
          : this.#startLoad(key, loader, options, staleValue);
    }
    if (inflight.stale !== undefined && !force) {
      this.#staleHits++;
      this.#metrics.stale.inc();
      return inflight.stale;
    }
    this.#misses++;
    this.#metrics.miss.inc();
    const signal = options?.signal;
    return signal === undefined
      ? inflight.promise
      : raceSignal(
          inflight.promise,
          signal,
          `waiting for ${describeKey(key)} in cache "${this.name}"`,
        );
  }

  /**
   * Removes `key` (a manual eviction) and cancels its load in flight, if any.
   * @param key - the key
   * @returns whether an entry was removed
   */
  delete(key: K): boolean {
    this.#failures?.delete(key);
    this.#cancelLoad(key);
    this.#tier?.invalidate({ kind: "key", key });
    return this.#lru.delete(key);
  }

  /**
   * Cancels every load in flight whose key or future tags match: its waiters get `AbortError` and
   * its result is never stored.
   */
  #cancelLoads(matches: (key: K, load: Inflight<V>) => boolean): void {
    for (const [key, load] of [...this.#inflight]) if (matches(key, load)) this.#cancelLoad(key);
  }

  /**
   * Removes every entry (counted as manual evictions) and cancels loads in flight; with a second
   * tier, also every entry of this cache there, in every process.
   */
  clear(): void {
    this.#cancelLoads(() => true);
    this.#dropLocal({ kind: "clear" });
    this.#tier?.invalidate({ kind: "clear" });
  }

  /**
   * Removes every entry tagged `tag` by `set` or `getOrLoad`, and cancels loads in flight that
   * would store a value tagged `tag` (their waiters get `AbortError`; nothing is stored).
   * @param tag - e.g. `"user:42"`
   * @returns how many entries were removed
   */
  invalidateTag(tag: string): number {
    this.#tagInvalidations++;
    this.#cancelLoads((_key, load) => load.tags?.includes(tag) === true);
    this.#tier?.invalidate({ kind: "tag", tag });
    const keys = this.#tagKeys?.get(tag);
    if (keys === undefined) return 0;
    const before = this.#lru.size;
    for (const key of [...keys]) this.#cancelLoad(key);
    this.#dropLocal({ kind: "tag", tag });
    return before - this.#lru.size;
  }

  /**
   * Removes every string key starting with `prefix` (including stale entries) and cancels loads
   * in flight of such keys.
   * @param prefix - e.g. `"user:42:"`
   * @returns how many entries were removed
   */
  invalidatePrefix(prefix: string): number {
    this.#cancelLoads((key) => typeof key === "string" && key.startsWith(prefix));
    this.#tier?.invalidate({ kind: "prefix", prefix });
    const before = this.#lru.size;
    this.#dropLocal({ kind: "prefix", prefix });
    return before - this.#lru.size;
  }

  /**
   * Iterates the keys of fresh entries, most recently used first (with `policy: "tinylfu"`, most
   * recently written first: reads do not reorder entries).
   * @returns an iterator of keys
   */
  *keys(): Generator<K, undefined, unknown> {
    for (const key of this.#lru.keys()) yield key;
  }

  /**
   * Iterates `[key, value]` of fresh entries, most recently used first (with `policy: "tinylfu"`,
   * most recently written first).
   * @returns an iterator of entries
   */
  *entries(): Generator<[K, V], undefined, unknown> {
    for (const [key, value] of this.#lru.entries()) yield [key, value as V];
  }

  /**
   * Removes entries that are expired (and, with stale-while-revalidate, past the stale window),
   * and expired cached failures. The manager calls this from its one sweep timer; entries are also
   * dropped lazily on access.
   * @returns how many entries were removed
   */
  purgeExpired(): number {
    if (this.#failures !== undefined) {
      const now = this.#clock.now();
      for (const [key, failure] of this.#failures)
        if (failure.until <= now) this.#failures.delete(key);
    }
    const before = this.#lru.size;
    const window = staleWindow(this.options);
    if (window === 0) {
      this.#lru.purgeStale();
    } else {
      for (const key of this.#allKeys()) {
        if (this.#lru.getRemainingTTL(key) < -window) this.#expire(key);
      }
    }
    return before - this.#lru.size;
  }

  /**
   * Bytes held, for the memory optimizer: {@link Cache.sizeBytes} (the entries), plus, for a cache
   * bounded by `max` entries, the part of its store's slot storage (about 28 bytes per slot) that
   * `reclaim` and `resize` would give back, when it is at least twice what the entries need. A
   * plain cache with `max` above 65,536 starts with a store of 4,096 slots that doubles as it fills.
   * @returns bytes held (measured with byte tracking, otherwise estimated)
   */
  estimatedBytes(): number {
    return this.sizeBytes + this.#spareStoreBytes();
  }

  /**
   * Gives back about `targetBytes`: first the spare slot storage of the store when it is at least
   * twice what the entries need (the store then grows again as the cache refills), then least
   * recently used entries (counted as `pressure` evictions). Called by `@perflayer/memory`'s
   * `MemoryOptimizer`.
   * @param targetBytes - bytes wanted back
   * @returns bytes freed (estimated when the cache does not track sizes)
   */
  reclaim(targetBytes: number): number {
    assertNumber(targetBytes, {
      name: "targetBytes",
      min: 0,
      context: `cache "${this.name}".reclaim()`,
    });
    let freed = this.#shrinkStore();
    return freed + this.#popWhile((last) => (freed += last) < targetBytes, true);
  }

  /**
   * @returns the bytes this cache may hold now: the capacity of the last `resize()`, else `maxSize`
   * (`Infinity` for a cache bounded by entries only)
   */
  capacityBytes(): number {
    return this.#steeredBytes ?? (this.options.maxSize > 0 ? this.options.maxSize : Infinity);
  }

  /**
   * Sets how many bytes the cache may hold from now on, never above its own `max`/`maxSize` (a
   * memory budget steers it: `MemoryOptimizer` calls this). A byte-tracked cache is bounded by
   * bytes; one bounded by entries gets an entry bound from its average entry size and slot storage
   * (re-estimated at each resize), and gives back the spare slot storage of its store when the
   * bound needs less than half of it (a cache with `staleWhileRevalidate` keeps its
   * storage). Entries over the new bound go at once, least recently used first (the policy's next
   * victims with `policy: "tinylfu"`, whose regions are re-derived from the new bound; `pressure`
   * evictions); later sets evict to stay within it (`size` evictions).
   * @param capacityBytes - the new capacity in bytes (>= 0)
   * @returns bytes freed now (estimated when the cache does not track sizes)
   */
  resize(capacityBytes: number): number {
    assertNumber(capacityBytes, {
      name: "capacityBytes",
      min: 0,
      fix: "Pass bytes, e.g. resize(32 * 2 ** 20).",
      context: `cache "${this.name}".resize()`,
    });
    if (this.options.maxSize > 0) {
      this.#steeredBytes = Math.min(capacityBytes, this.options.maxSize);
      this.#byteLimit = this.#steeredBytes;
    } else {
      this.#steeredBytes = capacityBytes;
      this.#entryLimit = this.#entriesFor(capacityBytes);
    }
    const freed = this.#trim(true);
    return freed + this.#shrinkStore();
  }
  /**
   * Sheds a fraction of the cache, least recently used first (with `policy: "tinylfu"`, the
   * policy's next victims; counted as `pressure` evictions).
   * @param fraction - between 0 and 1
   * @returns bytes freed
   */
  shrink(fraction: number): number {
    assertNumber(fraction, {
      name: "fraction",
      min: 0,
      max: 1,
      context: `cache "${this.name}".shrink()`,
    });
    return this.reclaim(this.estimatedBytes() * fraction);
  }

  /** @returns this cache's counters */
  stats(): CacheStats {
    const lookups = this.#hits + this.#misses + this.#staleHits;
    return {
      name: this.name,
      entries: this.#lru.size,
      sizeBytes: this.sizeBytes,
      hits: this.#hits,
      misses: this.#misses,
      staleHits: this.#staleHits,
      loads: this.#loads,
      loadErrors: this.#loadErrors,
      loadTimeouts: this.#loadTimeouts,
      refreshFailures: this.#refreshFailures,
      staleOnError: this.#staleOnError,
      loadTimeMs: this.#loadTimeMs,
      evictions: { ...this.#evictions },
      hitRatio: lookups === 0 ? 0 : this.#hits / lookups,
      policy: this.options.policy,
      ...(this.#tinyLfu === undefined ? {} : { tinyLfu: this.#tinyLfu.stats() }),
    };
  }

  /**
   * Clears this process's copy and refuses further writes and loads; a second tier keeps its
   * entries for the other processes. Called by `CacheManager.close()`.
   */
  close(): void {
    this.#closed = true;
    this.#cancelLoads(() => true);
    this.#dropLocal({ kind: "clear" });
    this.#tier?.close();
  }

  /**
   * Removes in-memory entries only (no second tier, loads in flight untouched): the local half of
   * an invalidation, and what a second tier calls when another process invalidated.
   */
  #dropLocal(change: TierInvalidation<K>): void {
    switch (change.kind) {
      case "key":
        this.#failures?.delete(change.key);
        this.#lru.delete(change.key);
        return;
      case "tag": {
        const keys = this.#tagKeys?.get(change.tag);
        if (keys === undefined) return;
        for (const key of [...keys]) {
          this.#failures?.delete(key);
          this.#lru.delete(key);
        }
        this.#tagKeys?.delete(change.tag);
        return;
      }
      case "prefix":
        for (const key of this.#allKeys()) {
          if (typeof key === "string" && key.startsWith(change.prefix)) {
            this.#failures?.delete(key);
            this.#lru.delete(key);
          }
        }
        return;
      case "clear":
        this.#lru.clear();
        this.#failures?.clear();
        this.#keyTags = undefined;
        this.#tagKeys = undefined;
    }
  }

  /**
   * Pops least recently used entries while `more(bytesOfTheLastOne)` says so (it is first called
   * with 0), counting them as `pressure` or `size` evictions.
   * @returns bytes freed (estimated when the cache does not track sizes; 0 for `size` evictions
   *   of such a cache, whose bytes nobody reads: estimating them sized 32 entries on every set)
   */
  #popWhile(more: (bytes: number) => boolean, pressure: boolean): number {
    const tracked = this.options.maxSize > 0;
    const perEntry = tracked || !pressure ? 0 : this.#averageEntryBytes();
    let freed = 0;
    let last = 0;
    this.#pressure = pressure;
    try {
      while (this.#lru.size > 0 && more(last)) {
        const before = this.#lru.calculatedSize;
        this.#lru.pop();
        last = tracked ? before - this.#lru.calculatedSize : perEntry;
        freed += last;
      }
    } finally {
      this.#pressure = false;
    }
    return Math.round(freed);
  }

  /**
   * Evicts down to the bound `resize()` set (a W-TinyLFU policy re-derives its regions from it
   * first); an entry bound set on an empty cache is sized first.
   */
  #trim(pressure: boolean): number {
    if (this.#steeredBytes !== undefined && this.options.maxSize === 0 && this.#needsEntryBound)
      this.#entryLimit = this.#entriesFor(this.#steeredBytes);
    this.#tinyLfu?.limit(this.#entryLimit, this.#byteLimit);
    return this.#popWhile(
      () => this.#lru.size > this.#entryLimit || this.#lru.calculatedSize > this.#byteLimit,
      pressure,
    );
  }

  /**
   * Entries that fit `bytes` at the current average entry size, counting the two slots of storage
   * each is given (a probe of 32 entries while the cache is empty).
   */
  #entriesFor(bytes: number): number {
    const perEntry = this.#averageEntryBytes();
    this.#needsEntryBound = perEntry === 0;
    if (perEntry === 0) return Math.min(32, this.options.max);
    const slots = this.#releasableStore() ? 2 * this.#slotBytes() : 0;
    const entries = Math.floor(bytes / (perEntry + slots));
    return entries >= this.options.max ? Number.POSITIVE_INFINITY : entries;
  }

  /**
   * Whether the store grows and can be given back: a plain lru-cache store bounded by `max`
   * without stale windows (the W-TinyLFU store manages its own; stale entries would not move).
   */
  #releasableStore(): boolean {
    return this.#tinyLfu === undefined && this.options.max > 0 && staleWindow(this.options) === 0;
  }

  /** The plain lru-cache store (only called when `#releasableStore()`). */
  #plainStore(): LRUCache<K, Stored> {
    return this.#lru as LRUCache<K, Stored>;
  }

  /** Slots a shrunk store would have: twice the entries, at least 1,024, at most `max`. */
  #storeSlots(): number {
    return Math.min(this.options.max, Math.max(1_024, 2 * this.#lru.size));
  }

  /** Bytes of store `#shrinkStore()` would give back now (0 unless it would move at all). */
  #spareStoreBytes(): number {
    if (!this.#releasableStore()) return 0;
    const slots = this.#storeSlots();
    const max = this.#plainStore().max;
    return 2 * slots > max ? 0 : (max - slots) * this.#slotBytes();
  }

  /**
   * Bytes lru-cache reserves per slot: keys and values (two pointer arrays), the list links and
   * the free stack (three uint arrays), TTL and size arrays when used.
   */
  #slotBytes(): number {
    const max = this.#releasableStore() ? this.#plainStore().max : this.options.max;
    const links = max <= 65_536 ? 6 : 12;
    return 16 + links + (this.options.ttl > 0 ? 16 : 0) + (this.options.maxSize > 0 ? 8 : 0);
  }

  /**
   * Moves the entries to a store of twice as many slots when that is at most half the current one
   * (lru-cache reserves its slot arrays for the whole store); it doubles again as the cache refills.
   * @returns bytes of storage given back
   */
  #shrinkStore(): number {
    const spare = this.#spareStoreBytes();
    if (spare > 0) this.#restore(this.#storeSlots());
    return spare;
  }

  /** Doubles a store below `max` (a small start, or shrunk) when it is full, up to `max`. */
  #growStore(): void {
    this.#restore(Math.min(this.options.max, 2 * this.#plainStore().max));
  }

  /**
   * Moves every fresh entry, in recency order with its remaining TTL and size, to a store of
   * `slots`; expired ones are evicted.
   */
  #restore(slots: number): void {
    const old = this.#plainStore();
    // Expired entries would not move: they go first, as TTL evictions (their tags too).
    old.purgeStale();
    const fresh = new LRUCache<K, Stored>({ ...this.#lruOptions, max: slots });
    for (const [entryKey, value] of old.rentries()) {
      const key = entryKey as K; // lru-cache types rentries() keys loosely
      const info = old.info(key);
      // Without a TTL or size, the same call as `set()` makes (no options object).
      if (info?.ttl === undefined && info?.size === undefined) fresh.set(key, value);
      else {
        fresh.set(key, value, {
          ttl: info.ttl === undefined ? 0 : Math.max(1, Math.ceil(info.ttl)),
          ...(info.size === undefined ? {} : { size: info.size }),
        });
      }
    }
    this.#lru = fresh;
    this.#growAt = slots < this.options.max ? slots : Number.POSITIVE_INFINITY;
  }

  /**
   * The stale value of `key` inside its stale windows: served at once within
   * `staleWhileRevalidate`, or after a failed load within `staleIfError`; otherwise only if the
   * load fails. Expires the entry when past both windows.
   */
  #staleOf(key: K): StaleValue<V> | undefined {
    const window = staleWindow(this.options);
    if (window === 0) return undefined;
    const remaining = this.#lru.getRemainingTTL(key);
    if (remaining >= 0) return undefined;
    if (-remaining > window) {
      this.#expire(key);
      return undefined;
    }
    const value = this.#lru.peek(key, { allowStale: true }) as V | undefined;
    if (value === undefined) return undefined;
    const now =
      -remaining <= this.options.staleWhileRevalidate || this.#erroring?.has(key) === true;
    return { value, now };
  }

  /**
   * A memory miss with a second tier that can read: one tier read, without the load machinery
   * (abort controller, load timer, loader metrics). Only a miss there starts a load, which takes
   * this entry's place, so later callers join it. Cancelled during the read, its waiters get the
   * `AbortError` and the value read is not stored, as with a load; a `set` meanwhile wins too.
   */
  #readThrough(
    key: K,
    tier: SecondTierBinding<K, V>,
    loader: Loader<K, V>,
    options: GetOrLoadOptions | undefined,
  ): Inflight<V> {
    // Both validated now, as a load would: a hit never reaches #startLoad.
    const ttl = this.#ttlFor(options?.ttl);
    this.#loadTimeoutFor(key, options);
    const tagInvalidations = this.#tagInvalidations;
    let read: Promise<TierValue<V> | TierReadMiss>;
    try {
      // A method call (`this` is the binding); `read` is known to exist here.
      read = (tier.read as (key: K) => Promise<TierValue<V> | TierReadMiss>)(key);
    } catch (error) {
      read = Promise.reject(error);
    }
    let cancelled = false;
    let cancel!: (reason: Error) => void;
    const promise = new Promise<V>((resolve, reject) => {
      cancel = (reason) => {
        cancelled = true;
        reject(reason);
      };
      // A miss starts the load; after a `set` meanwhile, the callers get what is there now. A
      // read that threw (e.g. a key the tier refuses) goes the load's way: counted and reported.
      const load = (after: TierReadMiss | undefined): void => {
        if (cancelled) return;
        resolve(
          this.#inflight.get(key) === entry
            ? this.#startLoad(key, loader, options, undefined, after).promise
            : this.getOrLoad(key, loader, options),
        );
      };
      read
        .then(
          (found) => {
            if (typeof found === "string") return load(found);
            if (cancelled) return;
            if (this.#inflight.get(key) === entry) {
              this.#inflight.delete(key);
              if (this.#keepsTierCopy(found, tagInvalidations))
                this.#store(key, found.value, tierCopyTtl(ttl, found.ttl), found.tags, false);
            }
            resolve(found.value);
          },
          () => load(undefined),
        )
        .catch(reject); // a throwing sizeCalculation, say
    });
    const entry: Inflight<V> = { promise, cancel, stale: undefined, tags: options?.tags };
    this.#inflight.set(key, entry);
    return entry;
  }

  /**
   * Whether memory may keep a value the tier returned. Its tags were unknown until it arrived:
   * after an `invalidateTag` meanwhile, its callers get what the tier read before it, but memory
   * must not keep it.
   */
  #keepsTierCopy(found: TierValue<V>, tagInvalidations: number): boolean {
    const untouched =
      found.tags === undefined ||
      found.tags.length === 0 ||
      this.#tagInvalidations === tagInvalidations;
    return found.keep && untouched && !this.#closed;
  }

  /** The `loadTimeoutMs` of a load: the override, validated, or the cache's. */
  #loadTimeoutFor(key: K, options: GetOrLoadOptions | undefined): number | undefined {
    const override = options?.loadTimeoutMs;
    return override === undefined
      ? this.options.loadTimeoutMs
      : assertNumber(override, {
          name: "loadTimeoutMs",
          min: 0,
          minExclusive: true,
          fix: "Pass e.g. { loadTimeoutMs: 2_000 }.",
          context: `cache "${this.name}".getOrLoad(${describeKey(key)})`,
        });
  }

  #startLoad(
    key: K,
    loader: Loader<K, V>,
    options: GetOrLoadOptions | undefined,
    staleValue: StaleValue<V> | undefined,
    after?: TierReadMiss,
  ): Inflight<V> {
    const stale = staleValue?.now === true ? staleValue.value : undefined;
    const fallback = staleValue?.now === false ? staleValue.value : undefined;
    const controller = new AbortController();
    const started = this.#clock.now();
    const tier = this.#tier;
    // With a second tier the TTL is settled now: the tier stores the value with it.
    const ttl = this.#ttlFor(options?.ttl);
    let fromTier: TierValue<V> | undefined;
    const run: Loader<K, V> =
      tier === undefined
        ? loader
        : (k, context) =>
            tier
              .load(k, {
                entry: { ttl, tags: options?.tags },
                signal: context.signal,
                forceRefresh: options?.forceRefresh === true,
                after,
                load: () => {
                  this.#loads++;
                  return Promise.resolve(loader(k, context));
                },
              })
              .then((result) => {
                fromTier = result;
                return result.value;
              });
    if (tier === undefined) this.#loads++;
    const settle = (): void => {
      if (this.#inflight.get(key) === entry) this.#inflight.delete(key);
      const elapsed = this.#clock.now() - started;
      this.#loadTimeMs += elapsed;
      this.#metrics.loadDuration.observe(elapsed / 1000);
    };
    const promise = runLoader({
      key,
      loader: run,
      staleValue: stale,
      controller,
      clock: this.#clock,
      timeoutMs: this.#loadTimeoutFor(key, options),
      awaited: stale === undefined,
      what: `cache "${this.name}": loading ${describeKey(key)}`,
    }).then(
      (value) => {
        const current = this.#inflight.get(key) === entry;
        settle();
        if (value === undefined) {
          this.#countLoadFailure(undefined, stale);
          throw new PerflayerError(
            "ERR_LOADER_RESULT",
            `cache "${this.name}": the loader for ${describeKey(key)} resolved \`undefined\`. Resolve null to cache "no value", or throw to report a failure.`,
          );
        }
        this.#metrics.loadSuccess.inc();
        if (current && !this.#closed) {
          if (fromTier === undefined) this.#store(key, value, ttl, options?.tags, false);
          else if (fromTier.keep)
            this.#store(key, value, tierCopyTtl(ttl, fromTier.ttl), fromTier.tags, false);
        }
        return value;
      },
      (error: unknown) => {
        const cancelled = this.#inflight.get(key) !== entry;
        settle();
        this.#countLoadFailure(error, stale);
        if (!cancelled && this.#erroring !== undefined && staleValue !== undefined) {
          // Stale-if-error: the stale value stands in until a load succeeds or the window ends.
          if (this.#lru.peek(key, { allowStale: true }) !== undefined) this.#erroring.add(key);
          if (fallback !== undefined) {
            this.#staleOnError++;
            return fallback;
          }
        }
        if (this.#failures !== undefined && stale === undefined && !cancelled)
          this.#rememberFailure(key, error);
        throw error;
      },
    );
    // A background refresh has no waiter: its failure is counted above, never thrown into the void.
    if (stale !== undefined) promise.catch(() => undefined);
    const entry: Inflight<V> = {
      promise,
      cancel: (reason) => controller.abort(reason),
      stale,
      tags: options?.tags,
    };
    this.#inflight.set(key, entry);
    return entry;
  }

  #countLoadFailure(error: unknown, stale: V | undefined): void {
    this.#loadErrors++;
    if (error instanceof Error && error.name === "TimeoutError") {
      this.#loadTimeouts++;
      this.#metrics.loadTimeout.inc();
    } else {
      this.#metrics.loadError.inc();
    }
    if (stale !== undefined) this.#refreshFailures++;
  }

  #cancelLoad(key: K): void {
    const inflight = this.#inflight.get(key);
    if (inflight === undefined) return;
    this.#inflight.delete(key);
    inflight.cancel(
      new AbortError(
        `cache "${this.name}": the load of ${describeKey(key)} was cancelled because the entry was deleted or invalidated meanwhile`,
      ),
    );
  }

  /** Stores `value` for `ttl` ms exactly (0: no expiry; see `#ttlFor`). */
  #store(
    key: K,
    value: V,
    ttl: number,
    tags: readonly string[] | undefined,
    strict: boolean,
  ): void {
    let size: number | undefined;
    if (this.#sizeOf !== undefined) {
      size = this.#measure(value, key);
      const limit = this.options.maxEntrySize;
      if (limit > 0 && size > limit) {
        if (strict) {
          throw new PerflayerError(
            "ERR_ENTRY_TOO_LARGE",
            `cache "${this.name}": the value of ${describeKey(key)} is ${size} bytes, above maxEntrySize (${limit}). Raise maxEntrySize/maxSize or do not cache values this large.`,
          );
        }
        this.#rejectOversize(key, size, limit);
        return;
      }
    }
    this.#erroring?.delete(key);
    if (tags !== undefined) this.#tag(key, tags);
    else if (this.#keyTags?.has(key) === true) this.#untag(key);
    if (this.#lru.size >= this.#growAt) this.#growStore();
    this.#lru.set(key, value as Stored, {
      ttl,
      ...(size === undefined ? {} : { size }),
    });
    if (this.#lru.size > this.#entryLimit || this.#lru.calculatedSize > this.#byteLimit)
      this.#trim(false);
  }

  #rejectOversize(key: K, size: number, limit: number): void {
    this.#lru.delete(key);
    this.#evictions.size++;
    this.#metrics.evictedBy.size.inc();
    if (!this.#warnedOversize) {
      this.#warnedOversize = true;
      process.emitWarning(
        `cache "${this.name}": a loaded value of ${size} bytes (${describeKey(key)}) exceeds maxEntrySize (${limit}); it was returned but not cached.`,
        { code: "PERFLAYER_CACHE_OVERSIZE" },
      );
    }
  }

  #rememberFailure(key: K, error: unknown): void {
    const failures = this.#failures as Map<K, Failure>;
    failures.delete(key);
    failures.set(key, { error, until: this.#clock.now() + this.options.negativeTtl });
    // Bounded like the cache itself: the oldest failure goes first.
    const cap = this.options.max > 0 ? this.options.max : 10_000;
    if (failures.size > cap) failures.delete(failures.keys().next().value as K);
  }

  /** The TTL of a new entry: the override or the cache's, validated, with jitter. */
  #ttlFor(override: number | undefined): number {
    let ttl = this.options.ttl;
    if (override !== undefined) {
      ttl = assertNumber(override, {
        name: "ttl",
        min: 0,
        fix: "Pass milliseconds, e.g. { ttl: 60_000 }, or 0 for no expiry.",
        context: `cache "${this.name}"`,
      });
    }
    if (ttl === 0) return 0;
    const jitter = this.options.ttlJitter;
    return Math.max(1, Math.round(jitter === 0 ? ttl : ttl * (1 - jitter * Math.random())));
  }

  #measure(value: V, key: K): number {
    const sizeOf = this.#sizeOf as (value: V, key: K) => number;
    const size = sizeOf(value, key);
    if (typeof size !== "number" || !Number.isFinite(size) || size < 0) {
      throw new PerflayerConfigError(
        "ERR_INVALID_OPTION",
        `cache "${this.name}": Expected \`sizeOf\` to return a finite number >= 0 for ${describeKey(key)}, got ${String(size)} (${typeof size}). Fix the sizeOf function.`,
      );
    }
    return Math.max(1, Math.ceil(size));
  }

  /** The average `sizeOf` (default `estimateSize` of the value) over up to 32 entries. */
  #averageEntryBytes(): number {
    const sizeOf = this.#sizeOf;
    let sampled = 0;
    let bytes = 0;
    for (const [key, value] of this.#lru.entries()) {
      bytes += sizeOf === undefined ? estimateSize(value) : this.#measure(value as V, key);
      if (++sampled === 32) break;
    }
    return sampled === 0 ? 0 : bytes / sampled;
  }

  *#allKeys(): Generator<K> {
    // lru-cache's key iterators skip stale entries; dump() lists them all.
    for (const [key] of this.#lru.dump()) yield key;
  }

  #expire(key: K): void {
    this.#expiring = true;
    try {
      this.#lru.delete(key);
    } finally {
      this.#expiring = false;
    }
  }

  #onDispose(key: K, reason: LRUCache.DisposeReason): void {
    this.#erroring?.delete(key);
    if (this.#keyTags !== undefined) this.#untag(key);
    let cause: keyof EvictionCounts;
    if (this.#pressure) cause = "pressure";
    else if (reason === "evict") cause = "size";
    else if (reason === "expire" || this.#expiring) cause = "ttl";
    else if (reason === "delete") cause = "manual";
    else return;
    this.#evictions[cause]++;
    this.#metrics.evictedBy[cause].inc();
  }

  #tag(key: K, tags: readonly string[]): void {
    this.#keyTags ??= new Map();
    this.#tagKeys ??= new Map();
    if (this.#keyTags.has(key)) this.#untag(key);
    this.#keyTags.set(key, tags);
    for (const tag of tags) {
      let keys = this.#tagKeys.get(tag);
      if (keys === undefined) this.#tagKeys.set(tag, (keys = new Set()));
      keys.add(key);
    }
  }

  #untag(key: K): void {
    const tags = this.#keyTags?.get(key);
    if (tags === undefined) return;
    this.#keyTags?.delete(key);
    for (const tag of tags) {
      const keys = this.#tagKeys?.get(tag);
      keys?.delete(key);
      if (keys?.size === 0) this.#tagKeys?.delete(tag);
    }
  }

  #closedError(): PerflayerError {
    return new PerflayerError(
      "ERR_CLOSED",
      `cache "${this.name}" is closed: its CacheManager was closed. Create a new CacheManager.`,
    );
  }
}

/**
 * How long the in-memory copy of a value read from the second tier may live: never longer than
 * the cache's TTL nor than the tier's remaining TTL (`0` on either side: no bound from that side).
 */
function tierCopyTtl(ttl: number, remaining: number): number {
  if (ttl === 0) return remaining;
  return remaining === 0 ? ttl : Math.max(1, Math.min(ttl, remaining));
}

/** How long after expiry an entry is kept for a stale read: the larger of the two stale windows. */
function staleWindow(
  options: Pick<ResolvedCacheOptions<unknown, unknown>, "staleWhileRevalidate" | "staleIfError">,
): number {
  return Math.max(options.staleWhileRevalidate, options.staleIfError);
}
