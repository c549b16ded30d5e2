/** The perflayer API that replaces one hand-rolled idiom. */
export interface Replacement {
  /** The package to install, e.g. `@perflayer/cache`. */
  readonly package:
    "@perflayer/cache" | "@perflayer/memory" | "@perflayer/response" | "@perflayer/monitor";
  /** Exports the snippet uses (checked against the real packages by the tests). */
  readonly exports: readonly string[];
  /** Methods the snippet calls on those exports' instances (checked too). */
  readonly methods: readonly string[];
  /** The API in one phrase. */
  readonly api: string;
  /** The replacement code. */
  readonly after: string;
  /** Lines the replacement takes (what remains after migrating). */
  readonly lines: number;
  /** One sentence on what the replacement adds. */
  readonly gains: string;
}

/**
 * The one replacement table: idiom kind → perflayer API. The analyzer's accounting, the roadmap and
 * the migration guide are generated from it; a test imports the real packages and checks that every
 * export and method named here exists.
 */
export const REPLACEMENTS: Readonly<Record<string, Replacement>> = Object.freeze({
  "ttl-map-cache": {
    package: "@perflayer/cache",
    exports: ["CacheManager"],
    methods: ["cache", "getOrLoad"],
    api: "CacheManager.cache(name, { ttl, max }).getOrLoad(key, loader)",
    after:
      'const users = caches.cache<string, User>("users", { ttl: 60_000, max: 10_000 });\nconst user = await users.getOrLoad(id, (key, { signal }) => loadUser(key, signal));',
    lines: 2,
    gains: "bounded, single-flight loads, stale-while-revalidate, metrics",
  },
  "size-capped-cache": {
    package: "@perflayer/cache",
    exports: ["CacheManager"],
    methods: ["cache", "set", "get"],
    api: "CacheManager.cache(name, { max })",
    after: 'const recent = caches.cache<string, Item>("recent", { max: 1_000 });',
    lines: 1,
    gains: "true LRU eviction in O(1), byte bounds, stats",
  },
  "map-cache": {
    package: "@perflayer/cache",
    exports: ["CacheManager", "CacheMap"],
    methods: ["cache"],
    api: "new CacheMap(caches.cache(name, { max }))",
    after: 'const cache = new CacheMap(caches.cache<string, Result>("results", { max: 10_000 }));',
    lines: 1,
    gains: "the same Map API with a bound, expiry and metrics",
  },
  "memoize-wrapper": {
    package: "@perflayer/cache",
    exports: ["memoize", "CacheManager"],
    methods: ["cache"],
    api: "memoize(fn, caches.cache(name, options))",
    after: 'const slugify = memoize(computeSlug, caches.cache("slugs", { max: 5_000 }));',
    lines: 1,
    gains: "bounded memo cache; async functions share one call",
  },
  "promise-cache": {
    package: "@perflayer/cache",
    exports: ["CacheManager"],
    methods: ["cache", "getOrLoad"],
    api: "cache.getOrLoad(key, loader)",
    after:
      'const profile = await caches.cache("profiles", { ttl: 30_000 }).getOrLoad(id, fetchProfile);',
    lines: 1,
    gains: "single-flight without caching failures; load timeouts",
  },
  "object-pool": {
    package: "@perflayer/memory",
    exports: ["ObjectPool", "BufferPool"],
    methods: ["acquire", "release", "take"],
    api: "new ObjectPool({ create, reset, max }) / new BufferPool()",
    after:
      'const pool = new ObjectPool({ name: "parsers", create: () => new Parser(), reset: (p) => p.reset(), max: 64 });\nusing lease = await pool.acquire();',
    lines: 2,
    gains: "bounds, double-release detection, shedding under memory pressure",
  },
  "memory-polling": {
    package: "@perflayer/memory",
    exports: ["MemoryOptimizer"],
    methods: ["register", "on"],
    api: 'new MemoryOptimizer({ budget }).on("level", …)',
    after:
      'const memory = new MemoryOptimizer({ budget: { fraction: 0.5 } });\nmemory.on("level", ({ to }) => log.warn(`memory ${to}`));',
    lines: 2,
    gains: "one sampler, budgets with hysteresis, targeted reclaim",
  },
  "manual-gc": {
    package: "@perflayer/memory",
    exports: ["MemoryOptimizer"],
    methods: ["register"],
    api: "memory.register(reclaimer)",
    after: 'memory.register(cache, { priority: "low" });',
    lines: 1,
    gains: "memory is given back by the owners, no forced full GCs",
  },
  "promise-race-timeout": {
    package: "@perflayer/response",
    exports: ["withTimeout"],
    methods: [],
    api: "withTimeout(work, ms)",
    after: "const result = await withTimeout(({ signal }) => callBackend({ signal }), 2_000);",
    lines: 1,
    gains: "typed TimeoutError, the work is aborted, the timer always cleared",
  },
  "retry-loop": {
    package: "@perflayer/response",
    exports: ["retry"],
    methods: [],
    api: "retry(fn, { attempts, backoff })",
    after:
      "const result = await retry(({ signal }) => callBackend({ signal }), { attempts: 4, backoff: { initialMs: 100 } });",
    lines: 1,
    gains: "full jitter, deadlines and aborts",
  },
  "concurrency-limiter": {
    package: "@perflayer/response",
    exports: ["ResponseOptimizer"],
    methods: ["run"],
    api: "new ResponseOptimizer({ concurrency }).run(task)",
    after:
      'const responses = new ResponseOptimizer({ concurrency: 8 });\nawait responses.run(({ signal }) => work(signal), { priority: "high" });',
    lines: 2,
    gains: "priorities, deadlines from enqueue, load shedding",
  },
  debounce: {
    package: "@perflayer/response",
    exports: ["ResponseOptimizer"],
    methods: ["run"],
    api: "responses.run(task, { key }) (coalescing)",
    after: "await responses.run(() => refresh(id), { key: `refresh:${id}` });",
    lines: 1,
    gains: "one execution per burst without a timer per caller",
  },
  throttle: {
    package: "@perflayer/response",
    exports: ["ResponseOptimizer"],
    methods: ["run"],
    api: "new ResponseOptimizer({ concurrency: 1 }).run(task, { key })",
    after: 'await limiter.run(() => send(batch), { key: "send" });',
    lines: 1,
    gains: "bounded rate through concurrency and coalescing",
  },
  "timing-delta": {
    package: "@perflayer/monitor",
    exports: ["PerformanceMonitor"],
    methods: ["time", "startTimer"],
    api: "monitor.time(name, fn)",
    after: 'const rows = await monitor.time("db_query_duration_seconds", () => db.query(sql));',
    lines: 1,
    gains: "a Prometheus histogram with percentiles and alerts",
  },
  "console-time": {
    package: "@perflayer/monitor",
    exports: ["PerformanceMonitor"],
    methods: ["startTimer"],
    api: "monitor.startTimer(name)",
    after: 'const end = monitor.startTimer("import_duration_seconds");\n/* … */ end();',
    lines: 2,
    gains: "timings as metrics instead of console noise",
  },
  "percentile-math": {
    package: "@perflayer/monitor",
    exports: ["PerformanceMonitor"],
    methods: ["histogram", "snapshot"],
    api: "monitor.histogram(…) + monitor.snapshot() percentiles",
    after:
      'const latency = monitor.histogram({ name: "latency_seconds", help: "Latency." });\nconst { p99 } = latency.get().window;',
    lines: 2,
    gains: "bounded memory, window percentiles, exposition",
  },
  "ad-hoc-metrics": {
    package: "@perflayer/monitor",
    exports: ["PerformanceMonitor"],
    methods: ["counter"],
    api: "monitor.counter({ name, help, labelNames })",
    after:
      'const requests = monitor.counter({ name: "requests_total", help: "Requests.", labelNames: ["outcome"] });\nrequests.inc({ outcome: "ok" });',
    lines: 2,
    gains: "exported, labelled, alertable counters",
  },
});
