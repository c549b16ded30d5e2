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
import type { Clock, CounterHandle, Reclaimer } from "@perflayer/core";
import type { CacheMetricHandles, CacheStats, EvictionCounts } from "./cache-metrics.js";
import type {
  GetOrLoadOptions,
  Loader,
  ResolvedCacheOptions,
  SetOptions,
} from "./cache-options.js";
import { describeKey } from "./cache-options.js";
import { runLoader } from "./run-loader.js";

/** A cached loader failure (negative caching), kept outside lru-cache so hits never check for it. */
interface Failure {
  readonly error: unknown;
  readonly until: number;
}

/** A load in flight: every caller of the key shares it. */
interface Inflight<V> {
  readonly promise: Promise<V>;
  readonly controller: AbortController;
  /** The stale value served while this refresh runs (stale-while-revalidate). */
  readonly stale: V | undefined;
  /** The tags its value will be stored with: `invalidateTag` cancels the load too. */
  readonly tags: readonly string[] | undefined;
}

type Stored = NonNullable<unknown>;

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
 * bad sizes, tag and prefix invalidation, stats and metrics, and the `Reclaimer` interface.
 *
 * @typeParam K - key type
 * @typeParam V - value type (anything but `undefined`; `null` is a cacheable value)
 */
export class Cache<K extends NonNullable<unknown>, V> implements Reclaimer {
  /** The cache name (also its metric label and reclaimer name). */
  readonly name: string;
  /** The options in force, after defaults. */
  readonly options: ResolvedCacheOptions<K, V>;

  readonly #lru: LRUCache<K, Stored>;
  readonly #clock: Clock;
  readonly #metrics: CacheMetricHandles;
  readonly #hitCounter: CounterHandle;
  readonly #sizeOf: ((value: V, key: K) => number) | undefined;
  readonly #failures: Map<K, Failure> | undefined;
  readonly #inflight = new Map<K, Inflight<V>>();
  #keyTags: Map<K, readonly string[]> | undefined;
  #tagKeys: Map<string, Set<K>> | undefined;
  #pressure = false;
  #expiring = false;
  #closed = false;
  #warnedOversize = false;

  #hits = 0;
  #misses = 0;
  #staleHits = 0;
  #loads = 0;
  #loadErrors = 0;
  #loadTimeouts = 0;
  #refreshFailures = 0;
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
    const { max, maxSize, ttl, staleWhileRevalidate, updateAgeOnGet } = init.options;
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
      // Stale entries stay for stale-while-revalidate; the sweep removes them after the window.
      ...(staleWhileRevalidate > 0 ? { noDeleteOnStaleGet: true } : {}),
      noDisposeOnSet: true,
      dispose: (_value: Stored, key: K, reason: LRUCache.DisposeReason) =>
        this.#onDispose(key, reason),
    } as LRUCache.Options<K, Stored, unknown>;
    this.#lru = new LRUCache<K, Stored>(lruOptions);
  }

  /** @returns the number of entries held (including stale ones within the stale window) */
  get size(): number {
    return this.#lru.size;
  }

  /**
   * Bytes held — the one definition of a cache's size, shared by `stats().sizeBytes`, the
   * `perflayer_cache_size_bytes` gauge and `estimatedBytes()` (what the memory optimizer sees): the
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
    if (this.#sizeOf === undefined && options === undefined && this.options.ttlJitter === 0) {
      if (this.#keyTags?.has(key) === true) this.#untag(key);
      this.#lru.set(key, value as Stored);
      return this;
    }
    this.#store(key, value, options?.ttl, options?.tags, true);
    return this;
  }

  /**
   * Returns the cached value of `key`, or loads it: concurrent callers of one key share one loader
   * call (single-flight). Expired values within `staleWhileRevalidate` are returned at once while
   * one background refresh runs. Loader failures reach every waiter and are not cached unless
   * `negativeTtl` is set.
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
    const inflight =
      this.#inflight.get(key) ??
      this.#startLoad(key, loader, options, force ? undefined : this.#staleValue(key));
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
    return this.#lru.delete(key);
  }

  /**
   * Cancels every load in flight whose key or future tags match: its waiters get `AbortError` and
   * its result is never stored.
   */
  #cancelLoads(matches: (key: K, load: Inflight<V>) => boolean): void {
    for (const [key, load] of [...this.#inflight]) if (matches(key, load)) this.#cancelLoad(key);
  }

  /** Removes every entry (counted as manual evictions) and cancels loads in flight. */
  clear(): void {
    this.#cancelLoads(() => true);
    this.#lru.clear();
    this.#failures?.clear();
    this.#keyTags = undefined;
    this.#tagKeys = undefined;
  }

  /**
   * Removes every entry tagged `tag` by `set` or `getOrLoad`, and cancels loads in flight that
   * would store a value tagged `tag` (their waiters get `AbortError`; nothing is stored).
   * @param tag - e.g. `"user:42"`
   * @returns how many entries were removed
   */
  invalidateTag(tag: string): number {
    this.#cancelLoads((_key, load) => load.tags?.includes(tag) === true);
    const keys = this.#tagKeys?.get(tag);
    if (keys === undefined) return 0;
    let removed = 0;
    for (const key of [...keys]) if (this.delete(key)) removed++;
    this.#tagKeys?.delete(tag);
    return removed;
  }

  /**
   * Removes every string key starting with `prefix` (including stale entries) and cancels loads
   * in flight of such keys.
   * @param prefix - e.g. `"user:42:"`
   * @returns how many entries were removed
   */
  invalidatePrefix(prefix: string): number {
    this.#cancelLoads((key) => typeof key === "string" && key.startsWith(prefix));
    let removed = 0;
    for (const key of this.#allKeys()) {
      if (typeof key === "string" && key.startsWith(prefix) && this.delete(key)) removed++;
    }
    return removed;
  }

  /**
   * Iterates the keys of fresh entries, most recently used first.
   * @returns an iterator of keys
   */
  *keys(): Generator<K, undefined, unknown> {
    for (const key of this.#lru.keys()) yield key;
  }

  /**
   * Iterates `[key, value]` of fresh entries, most recently used first.
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
    const window = this.options.staleWhileRevalidate;
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
   * Bytes held, for the memory optimizer: {@link Cache.sizeBytes}, the one definition of a cache's
   * size.
   * @returns bytes held (measured with byte tracking, otherwise estimated)
   */
  estimatedBytes(): number {
    return this.sizeBytes;
  }

  /**
   * Sheds least recently used entries until about `targetBytes` are freed (counted as `pressure`
   * evictions). Called by `@perflayer/memory`'s `MemoryOptimizer`.
   * @param targetBytes - bytes wanted back
   * @returns bytes freed (estimated when the cache does not track sizes)
   */
  reclaim(targetBytes: number): number {
    assertNumber(targetBytes, {
      name: "targetBytes",
      min: 0,
      context: `cache "${this.name}".reclaim()`,
    });
    const tracked = this.options.maxSize > 0;
    const perEntry = tracked ? 0 : this.#averageEntryBytes();
    let freed = 0;
    this.#pressure = true;
    try {
      while (freed < targetBytes && this.#lru.size > 0) {
        const before = this.#lru.calculatedSize;
        this.#lru.pop();
        freed += tracked ? before - this.#lru.calculatedSize : perEntry;
      }
    } finally {
      this.#pressure = false;
    }
    return Math.round(freed);
  }

  /**
   * Sheds a fraction of the cache, least recently used first (counted as `pressure` evictions).
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
      loadTimeMs: this.#loadTimeMs,
      evictions: { ...this.#evictions },
      hitRatio: lookups === 0 ? 0 : this.#hits / lookups,
    };
  }

  /** Clears the cache and refuses further writes and loads. Called by `CacheManager.close()`. */
  close(): void {
    this.#closed = true;
    this.clear();
  }

  /** The stale value of `key` when it is inside the stale window; expires it when past. */
  #staleValue(key: K): V | undefined {
    const window = this.options.staleWhileRevalidate;
    if (window === 0) return undefined;
    const remaining = this.#lru.getRemainingTTL(key);
    if (remaining >= 0) return undefined;
    if (-remaining <= window) return this.#lru.peek(key, { allowStale: true }) as V | undefined;
    this.#expire(key);
    return undefined;
  }

  #startLoad(
    key: K,
    loader: Loader<K, V>,
    options: GetOrLoadOptions | undefined,
    stale: V | undefined,
  ): Inflight<V> {
    const controller = new AbortController();
    const started = this.#clock.now();
    this.#loads++;
    const settle = (): void => {
      if (this.#inflight.get(key) === entry) this.#inflight.delete(key);
      const elapsed = this.#clock.now() - started;
      this.#loadTimeMs += elapsed;
      this.#metrics.loadDuration.observe(elapsed / 1000);
    };
    const override = options?.loadTimeoutMs;
    const promise = runLoader({
      key,
      loader,
      staleValue: stale,
      controller,
      clock: this.#clock,
      timeoutMs:
        override === undefined
          ? this.options.loadTimeoutMs
          : assertNumber(override, {
              name: "loadTimeoutMs",
              min: 0,
              minExclusive: true,
              fix: "Pass e.g. { loadTimeoutMs: 2_000 }.",
              context: `cache "${this.name}".getOrLoad(${describeKey(key)})`,
            }),
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
        if (current && !this.#closed) this.#store(key, value, options?.ttl, options?.tags, false);
        return value;
      },
      (error: unknown) => {
        const cancelled = this.#inflight.get(key) !== entry;
        settle();
        this.#countLoadFailure(error, stale);
        if (this.#failures !== undefined && stale === undefined && !cancelled)
          this.#rememberFailure(key, error);
        throw error;
      },
    );
    // A background refresh has no waiter: its failure is counted above, never thrown into the void.
    if (stale !== undefined) promise.catch(() => undefined);
    const entry: Inflight<V> = { promise, controller, stale, tags: options?.tags };
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
    inflight.controller.abort(
      new AbortError(
        `cache "${this.name}": the load of ${describeKey(key)} was cancelled because the entry was deleted or invalidated meanwhile`,
      ),
    );
  }

  #store(
    key: K,
    value: V,
    ttl: number | undefined,
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
    if (tags !== undefined) this.#tag(key, tags);
    else if (this.#keyTags?.has(key) === true) this.#untag(key);
    this.#lru.set(key, value as Stored, {
      ttl: this.#ttlFor(ttl),
      ...(size === undefined ? {} : { size }),
    });
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
