import type { CounterHandle, HistogramHandle, Instrumentation } from "@perflayer/core";

/** Why entries left a cache. */
export interface EvictionCounts {
  /** Pushed out by `max` or `maxSize`. */
  size: number;
  /** Expired. */
  ttl: number;
  /** Deleted, invalidated or cleared by the application. */
  manual: number;
  /** Shed through the `Reclaimer` interface under memory pressure. */
  pressure: number;
}

/** One cache's counters, as returned by `cache.stats()`. */
export interface CacheStats {
  /** The cache name. */
  readonly name: string;
  /** Entries held now (including stale ones kept for stale-while-revalidate). */
  readonly entries: number;
  /**
   * Bytes held now: the sum of `sizeOf` with byte tracking (`maxSize`), otherwise estimated from a
   * sample of entries — the same figure as `cache.sizeBytes` and `perflayer_cache_size_bytes`
   * (`estimatedBytes()` adds the spare storage of a cache bounded by `max`).
   */
  readonly sizeBytes: number;
  /** Lookups answered from a fresh entry. */
  readonly hits: number;
  /** Lookups that found nothing fresh (and, for `getOrLoad`, waited for a load). */
  readonly misses: number;
  /** `getOrLoad` calls answered with a stale value while a refresh ran. */
  readonly staleHits: number;
  /** Loader calls started. */
  readonly loads: number;
  /** Loader calls that failed (including timeouts). */
  readonly loadErrors: number;
  /** Loader calls that timed out. */
  readonly loadTimeouts: number;
  /** Background refreshes (stale-while-revalidate) that failed; the stale value was kept. */
  readonly refreshFailures: number;
  /**
   * Loads that failed (or timed out) with a stale value inside `staleIfError`: their waiters got
   * the stale value instead of the error. Each is also counted in `loadErrors`.
   */
  readonly staleOnError: number;
  /** Total time spent in loaders, in milliseconds. */
  readonly loadTimeMs: number;
  /** Evictions by cause. */
  readonly evictions: Readonly<EvictionCounts>;
  /** hits / (hits + misses + staleHits), or 0 before the first lookup. */
  readonly hitRatio: number;
  /** The eviction policy (`policy` option). */
  readonly policy: CachePolicy;
  /** The W-TinyLFU policy's own counters; only for `policy: "tinylfu"`. */
  readonly tinyLfu?: TinyLfuStats;
}

/** How a cache chooses what to evict: `"lru"` or `"tinylfu"` (W-TinyLFU). */
export type CachePolicy = "lru" | "tinylfu";

/** The counters of a W-TinyLFU cache (`policy: "tinylfu"`), in `stats().tinyLfu`. */
export interface TinyLfuStats {
  /** Entries in the admission window now. */
  readonly windowEntries: number;
  /** The window's share of the capacity, 0–1, as the adaptive window last set it (starts at 0.01). */
  readonly windowRatio: number;
  /** Entries on probation in the main region (admitted, not hit since). */
  readonly probationEntries: number;
  /** Entries in the main region's protected segment (hit while on probation). */
  readonly protectedEntries: number;
  /** Window candidates admitted to the main region over a less popular victim. */
  readonly admissionsAccepted: number;
  /**
   * Window candidates refused because the main region's victim was estimated at least as popular;
   * each is also a `size` eviction.
   */
  readonly admissionsRejected: number;
  /** Times the frequency sketch aged (halved its counters), every `10 × capacity` accesses. */
  readonly sketchResets: number;
  /** Times the window's size moved (each move is one entry's worth of the capacity). */
  readonly windowAdjustments: number;
  /** Bytes held by the frequency sketch, its doorkeeper and the adaptive window's ghost lists. */
  readonly sketchBytes: number;
}

/**
 * The metric handles of one cache, bound once so hot paths do no label work.
 * @internal
 */
export interface CacheMetricHandles {
  readonly hit: CounterHandle;
  readonly miss: CounterHandle;
  readonly stale: CounterHandle;
  readonly loadSuccess: CounterHandle;
  readonly loadError: CounterHandle;
  readonly loadTimeout: CounterHandle;
  readonly loadDuration: HistogramHandle;
  readonly evictedBy: Readonly<Record<keyof EvictionCounts, CounterHandle>>;
  /** Present when the cache's policy is W-TinyLFU. */
  readonly tinyLfu?: TinyLfuMetricHandles;
}

/**
 * The W-TinyLFU metric handles of one cache.
 * @internal
 */
export interface TinyLfuMetricHandles {
  readonly admitted: CounterHandle;
  readonly rejected: CounterHandle;
  readonly sketchReset: CounterHandle;
}

/**
 * @internal
 * Binds the W-TinyLFU metrics of one cache: `perflayer_cache_admissions_total{cache,outcome}` and
 * `perflayer_cache_sketch_resets_total{cache}` (the window's share is a gauge the manager collects).
 * @param instrumentation - where to report
 * @param cache - the cache name label
 * @returns the bound handles
 */
export function bindTinyLfuMetrics(
  instrumentation: Instrumentation,
  cache: string,
): TinyLfuMetricHandles {
  const admissions = instrumentation.counter({
    name: "perflayer_cache_admissions_total",
    help: "W-TinyLFU admission decisions by outcome (accepted, rejected): a window candidate against the main region's victim.",
    labelNames: ["cache", "outcome"],
  });
  const resets = instrumentation.counter({
    name: "perflayer_cache_sketch_resets_total",
    help: "Times a W-TinyLFU cache's frequency sketch aged (halved its counters).",
    labelNames: ["cache"],
  });
  return {
    admitted: admissions.bind({ cache, outcome: "accepted" }),
    rejected: admissions.bind({ cache, outcome: "rejected" }),
    sketchReset: resets.bind({ cache }),
  };
}

/**
 * @internal
 * Binds the cache metrics of the architecture's naming scheme for one cache name.
 * @param instrumentation - where to report
 * @param cache - the cache name label
 * @param policy - the cache's eviction policy (W-TinyLFU adds its own metrics)
 * @returns the bound handles
 */
export function bindCacheMetrics(
  instrumentation: Instrumentation,
  cache: string,
  policy: CachePolicy = "lru",
): CacheMetricHandles {
  const requests = instrumentation.counter({
    name: "perflayer_cache_requests_total",
    help: "Cache lookups by result (hit, miss, stale).",
    labelNames: ["cache", "result"],
  });
  const loads = instrumentation.counter({
    name: "perflayer_cache_loads_total",
    help: "Loader calls by outcome (success, error, timeout).",
    labelNames: ["cache", "outcome"],
  });
  const duration = instrumentation.histogram({
    name: "perflayer_cache_load_duration_seconds",
    help: "Time spent in cache loaders.",
    labelNames: ["cache"],
  });
  const evictions = instrumentation.counter({
    name: "perflayer_cache_evictions_total",
    help: "Entries removed from caches by cause (size, ttl, manual, pressure).",
    labelNames: ["cache", "cause"],
  });
  return {
    hit: requests.bind({ cache, result: "hit" }),
    miss: requests.bind({ cache, result: "miss" }),
    stale: requests.bind({ cache, result: "stale" }),
    loadSuccess: loads.bind({ cache, outcome: "success" }),
    loadError: loads.bind({ cache, outcome: "error" }),
    loadTimeout: loads.bind({ cache, outcome: "timeout" }),
    loadDuration: duration.bind({ cache }),
    evictedBy: {
      size: evictions.bind({ cache, cause: "size" }),
      ttl: evictions.bind({ cache, cause: "ttl" }),
      manual: evictions.bind({ cache, cause: "manual" }),
      pressure: evictions.bind({ cache, cause: "pressure" }),
    },
    ...(policy === "tinylfu" ? { tinyLfu: bindTinyLfuMetrics(instrumentation, cache) } : {}),
  };
}
