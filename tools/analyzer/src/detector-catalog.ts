import type { Category } from "./detector.js";

/** What each detector is, without loading its code (or the TypeScript parser). */
export interface DetectorInfo {
  /** Detector id. */
  readonly id: string;
  /** Its category. */
  readonly category: Category;
  /** The kinds it reports, in precedence order across the catalog. */
  readonly kinds: readonly string[];
}

/** The detectors in precedence order (see `DETECTORS`), as data. */
export const DETECTOR_CATALOG: readonly DetectorInfo[] = Object.freeze([
  { id: "caching/member-read-through", category: "caching", kinds: ["cache-aside"] },
  { id: "caching/batch-read-through", category: "caching", kinds: ["cache-aside", "ttl-cache"] },
  {
    id: "caching/keyed-store",
    category: "caching",
    kinds: ["ttl-cache", "promise-cache", "seen-cache", "cache-aside", "memoize"],
  },
  { id: "caching/split-flow", category: "caching", kinds: ["cache-aside"] },
  { id: "caching/get-or-insert-helper", category: "caching", kinds: ["memoize"] },
  { id: "caching/kept-promise", category: "caching", kinds: ["promise-cache"] },
  {
    id: "caching/single-slot",
    category: "caching",
    kinds: ["ttl-cache", "promise-cache", "memoize"],
  },
  { id: "caching/cache-invalidate", category: "caching", kinds: ["cache-invalidate"] },
  { id: "memory/object-pool", category: "memory", kinds: ["pool-idle-expiry", "object-pool"] },
  { id: "memory/size-accounting", category: "memory", kinds: ["size-accounting"] },
  { id: "memory/memory-polling", category: "memory", kinds: ["memory-polling"] },
  { id: "memory/manual-gc", category: "memory", kinds: ["manual-gc"] },
  { id: "response/timeout", category: "response", kinds: ["timeout-race", "timeout"] },
  { id: "response/retry", category: "response", kinds: ["retry-backoff", "retry-poll"] },
  { id: "response/dedup", category: "response", kinds: ["dedup"] },
  { id: "response/concurrency", category: "response", kinds: ["concurrency-limit"] },
  { id: "response/throttle", category: "response", kinds: ["debounce", "throttle"] },
  { id: "monitoring/timer", category: "monitoring", kinds: ["slow-op-timer", "timer-delta"] },
  { id: "monitoring/console-time", category: "monitoring", kinds: ["timer-delta"] },
  { id: "monitoring/percentile-math", category: "monitoring", kinds: ["rolling-window"] },
  { id: "monitoring/sample-window", category: "monitoring", kinds: ["rolling-window"] },
  { id: "monitoring/time-buckets", category: "monitoring", kinds: ["rolling-window"] },
  { id: "monitoring/counters", category: "monitoring", kinds: ["metric-object", "counter"] },
]);
