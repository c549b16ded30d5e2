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
  { id: "caching/memoize-wrapper", category: "caching", kinds: ["memoize-wrapper"] },
  { id: "caching/promise-cache", category: "caching", kinds: ["promise-cache"] },
  { id: "caching/ttl-map-cache", category: "caching", kinds: ["ttl-map-cache"] },
  { id: "caching/map-cache", category: "caching", kinds: ["size-capped-cache", "map-cache"] },
  { id: "memory/object-pool", category: "memory", kinds: ["object-pool"] },
  { id: "memory/memory-polling", category: "memory", kinds: ["memory-polling"] },
  { id: "memory/manual-gc", category: "memory", kinds: ["manual-gc"] },
  { id: "response/promise-race-timeout", category: "response", kinds: ["promise-race-timeout"] },
  { id: "response/retry-loop", category: "response", kinds: ["retry-loop"] },
  { id: "response/concurrency-limiter", category: "response", kinds: ["concurrency-limiter"] },
  { id: "response/debounce-throttle", category: "response", kinds: ["debounce", "throttle"] },
  { id: "monitoring/timing-delta", category: "monitoring", kinds: ["timing-delta"] },
  { id: "monitoring/console-time", category: "monitoring", kinds: ["console-time"] },
  { id: "monitoring/percentile-math", category: "monitoring", kinds: ["percentile-math"] },
  { id: "monitoring/ad-hoc-metrics", category: "monitoring", kinds: ["ad-hoc-metrics"] },
]);
