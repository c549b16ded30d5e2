export { Cache } from "./cache.js";
export { CacheManager } from "./cache-manager.js";
export type { CacheManagerOptions } from "./cache-manager.js";
export { CacheMap } from "./cache-map.js";
export type { CachePolicy, CacheStats, EvictionCounts, TinyLfuStats } from "./cache-metrics.js";
export { DEFAULT_MAX_ENTRIES } from "./cache-options.js";
export type {
  CacheOptions,
  GetOrLoadOptions,
  Loader,
  LoaderContext,
  ResolvedCacheOptions,
  SetOptions,
} from "./cache-options.js";
export { lazy } from "./lazy.js";
export type { Lazy, LazyOptions, LazyStats } from "./lazy.js";
export { memoize } from "./memoize.js";
export { memoizeLocal } from "./memoize-local.js";
export type { MemoizeLocalOptions, MemoizedLocal } from "./memoize-local.js";
export { memoizeWeak } from "./memoize-weak.js";
export type { MemoizedWeak } from "./memoize-weak.js";
export type {
  SecondTier,
  SecondTierBinding,
  TierEntry,
  TierInvalidation,
  TierLoadRequest,
  TierReadMiss,
  TierValue,
} from "./second-tier.js";
export type { MemoizeOptions, Memoized } from "./memoize.js";
