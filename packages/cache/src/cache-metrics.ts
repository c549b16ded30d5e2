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
   * sample of entries — the same figure as `cache.sizeBytes`, `estimatedBytes()` and
   * `perflayer_cache_size_bytes`.
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
  /** Total time spent in loaders, in milliseconds. */
  readonly loadTimeMs: number;
  /** Evictions by cause. */
  readonly evictions: Readonly<EvictionCounts>;
  /** hits / (hits + misses + staleHits), or 0 before the first lookup. */
  readonly hitRatio: number;
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
}

/**
 * @internal
 * Binds the cache metrics of the architecture's naming scheme for one cache name.
 * @param instrumentation - where to report
 * @param cache - the cache name label
 * @returns the bound handles
 */
export function bindCacheMetrics(
  instrumentation: Instrumentation,
  cache: string,
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
  };
}
