import {
  PerflayerError,
  assertInteger,
  assertKnownKeys,
  noopInstrumentation,
  systemClock,
} from "@perflayer/core";
import type { Clock, Closeable, Instrumentation, TimerHandle } from "@perflayer/core";
import { Cache } from "./cache.js";
import { bindCacheMetrics } from "./cache-metrics.js";
import type { CacheStats } from "./cache-metrics.js";
import { assertCacheName, resolveCacheOptions, sameOptions } from "./cache-options.js";
import type { CacheOptions } from "./cache-options.js";

/** Options of {@link CacheManager}. */
export interface CacheManagerOptions {
  /**
   * Options every cache starts from; a cache's own options override them.
   * @defaultValue `{}` (each cache: `max` 10,000, no TTL)
   * @example `{ ttl: 60_000, ttlJitter: 0.1, loadTimeoutMs: 2_000 }`
   */
  readonly defaults?: CacheOptions<unknown, unknown>;
  /**
   * Where caches report `perflayer_cache_*` metrics, e.g. `monitor.instrumentation` from
   * `@perflayer/monitor`.
   * @defaultValue `noopInstrumentation`
   */
  readonly instrumentation?: Instrumentation;
  /**
   * Time source for TTLs, load timeouts and the sweep; tests pass a `ManualClock`.
   * @defaultValue `systemClock`
   */
  readonly clock?: Clock;
  /**
   * How often one unref'd timer removes expired entries from every cache, in milliseconds
   * (entries are also dropped lazily when read). `0` disables the sweep.
   * @defaultValue 30_000
   */
  readonly sweepIntervalMs?: number;
}

const KNOWN_KEYS: readonly string[] = ["defaults", "instrumentation", "clock", "sweepIntervalMs"];

/**
 * Owns named caches with shared defaults, one sweep timer, stats for all and disposal.
 *
 * @example
 * ```ts
 * const caches = new CacheManager({ defaults: { ttl: 60_000 } });
 * const users = caches.cache<string, User>("users", { max: 5_000, staleWhileRevalidate: 30_000 });
 * const user = await users.getOrLoad("42", (id, { signal }) => db.user(id, { signal }));
 * ```
 */
export class CacheManager implements Closeable {
  readonly #caches = new Map<string, Cache<NonNullable<unknown>, unknown>>();
  readonly #defaults: CacheOptions<unknown, unknown>;
  readonly #instrumentation: Instrumentation;
  readonly #clock: Clock;
  readonly #sweep: TimerHandle | undefined;
  #closed = false;

  /** @param options - shared defaults, instrumentation, clock and sweep interval */
  constructor(options: CacheManagerOptions = {}) {
    assertKnownKeys(options, KNOWN_KEYS, "new CacheManager()");
    this.#defaults = options.defaults ?? {};
    this.#instrumentation = options.instrumentation ?? noopInstrumentation;
    this.#clock = options.clock ?? systemClock;
    // Validate the defaults once, up front, so a typo fails at construction.
    resolveCacheOptions("defaults", {}, this.#defaults);
    const sweepIntervalMs = assertInteger(options.sweepIntervalMs ?? 30_000, {
      name: "sweepIntervalMs",
      min: 0,
      fix: "Pass milliseconds, e.g. { sweepIntervalMs: 10_000 }, or 0 to disable.",
      context: "new CacheManager()",
    });
    this.#sweep =
      sweepIntervalMs > 0
        ? this.#clock.setInterval(() => this.sweep(), sweepIntervalMs)
        : undefined;
    const gaugeCollect = (): void => this.#collectGauges();
    this.#entriesGauge = this.#instrumentation.gauge({
      name: "perflayer_cache_entries",
      help: "Entries held per cache.",
      labelNames: ["cache"],
      collect: gaugeCollect,
    });
    this.#bytesGauge = this.#instrumentation.gauge({
      name: "perflayer_cache_size_bytes",
      help: "Bytes held per cache: the sum of sizeOf with byte tracking (maxSize), otherwise an estimate from a sample of entries.",
      labelNames: ["cache"],
      collect: gaugeCollect,
    });
  }

  readonly #entriesGauge: ReturnType<Instrumentation["gauge"]>;
  readonly #bytesGauge: ReturnType<Instrumentation["gauge"]>;
  /** Defined with the first W-TinyLFU cache, so LRU-only managers export no empty metric. */
  #windowGauge: ReturnType<Instrumentation["gauge"]> | undefined;

  /**
   * Returns the cache called `name`, creating it with `options` (merged over the manager's
   * defaults). Asking again with equal options returns the same cache; with different options it
   * throws `ERR_CACHE_EXISTS`.
   * @typeParam K - key type
   * @typeParam V - value type
   * @param name - letters, digits, `_ . : -`; used as the metric label
   * @param options - bounds, TTL, stale window, timeouts
   * @returns the cache
   */
  cache<K extends NonNullable<unknown>, V>(
    name: string,
    options: CacheOptions<K, V> = {},
  ): Cache<K, V> {
    if (this.#closed) {
      throw new PerflayerError(
        "ERR_CLOSED",
        `CacheManager is closed; cannot create cache "${String(name)}". Create a new CacheManager.`,
      );
    }
    assertCacheName(name);
    const resolved = resolveCacheOptions(name, options, this.#defaults);
    const existing = this.#caches.get(name) as Cache<K, V> | undefined;
    if (existing !== undefined) {
      if (sameOptions(existing.options, resolved)) return existing;
      throw new PerflayerError(
        "ERR_CACHE_EXISTS",
        `cache "${name}" already exists with other options. Use one definition per name (e.g. export the cache from one module), or pick another name.`,
      );
    }
    if (resolved.policy === "tinylfu") {
      this.#windowGauge ??= this.#instrumentation.gauge({
        name: "perflayer_cache_window_ratio",
        help: "The admission window's share of a W-TinyLFU cache's capacity (0-1), as it adapts to the workload.",
        labelNames: ["cache"],
        collect: () => this.#collectGauges(),
      });
    }
    const cache = new Cache<K, V>({
      name,
      options: resolved,
      clock: this.#clock,
      metrics: bindCacheMetrics(this.#instrumentation, name, resolved.policy),
      systemTime: this.#clock === systemClock,
    });
    this.#caches.set(name, cache as unknown as Cache<NonNullable<unknown>, unknown>);
    return cache;
  }

  /**
   * @param name - a cache name
   * @returns whether a cache of that name exists
   */
  has(name: string): boolean {
    return this.#caches.has(name);
  }

  /** @returns the names of every cache, in creation order */
  names(): string[] {
    return [...this.#caches.keys()];
  }

  /** @returns the stats of every cache, by name */
  stats(): Record<string, CacheStats> {
    const result: Record<string, CacheStats> = {};
    for (const [name, cache] of this.#caches) result[name] = cache.stats();
    return result;
  }

  /**
   * Removes `tag`ged entries from every cache.
   * @param tag - e.g. `"user:42"`
   * @returns how many entries were removed
   */
  invalidateTag(tag: string): number {
    let removed = 0;
    for (const cache of this.#caches.values()) removed += cache.invalidateTag(tag);
    return removed;
  }

  /** Clears every cache (manual evictions). */
  clear(): void {
    for (const cache of this.#caches.values()) cache.clear();
  }

  /**
   * Removes expired entries from every cache now (the sweep timer calls this).
   * @returns how many entries were removed
   */
  sweep(): number {
    let removed = 0;
    for (const cache of this.#caches.values()) removed += cache.purgeExpired();
    return removed;
  }

  /** Stops the sweep, clears and closes every cache. Idempotent. */
  close(): Promise<void> {
    if (!this.#closed) {
      this.#closed = true;
      this.#sweep?.cancel();
      for (const cache of this.#caches.values()) cache.close();
      this.#collectGauges();
    }
    return Promise.resolve();
  }

  /** Same as {@link CacheManager.close}, for `await using`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  #collectGauges(): void {
    for (const [name, cache] of this.#caches) {
      this.#entriesGauge.bind({ cache: name }).set(cache.size);
      this.#bytesGauge.bind({ cache: name }).set(cache.sizeBytes);
      const tinyLfu = this.#windowGauge === undefined ? undefined : cache.stats().tinyLfu;
      if (tinyLfu !== undefined) this.#windowGauge?.bind({ cache: name }).set(tinyLfu.windowRatio);
    }
  }
}
