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

/** Timeouts by timer and by race are both replaced by `withTimeout`. */
const WITH_TIMEOUT = {
  package: "@perflayer/response",
  exports: ["withTimeout"],
  methods: [],
  api: "withTimeout(work, ms)",
  after: "const result = await withTimeout(({ signal }) => callBackend({ signal }), 2_000);",
  lines: 1,
} as const;

/**
 * The one replacement table: idiom kind (the labelling convention's vocabulary) → perflayer API. The
 * analyzer's accounting, the roadmap and the migration guide are generated from it; a test imports
 * the real packages and checks that every export and method named here exists.
 */
export const REPLACEMENTS: Readonly<Record<string, Replacement>> = Object.freeze({
  memoize: {
    package: "@perflayer/cache",
    exports: ["memoize", "CacheManager"],
    methods: ["cache"],
    api: "memoize(fn, caches.cache(name, options))",
    after: 'const slugify = memoize(computeSlug, caches.cache("slugs", { max: 5_000 }));',
    lines: 1,
    gains: "a bounded memo cache with stats; async functions share one call",
  },
  "cache-aside": {
    package: "@perflayer/cache",
    exports: ["CacheManager"],
    methods: ["cache", "getOrLoad"],
    api: "CacheManager.cache(name, { max }).getOrLoad(key, loader)",
    after:
      'const files = caches.cache<string, string>("files", { max: 10_000 });\nconst text = await files.getOrLoad(path, (key) => readFile(key, "utf8"));',
    lines: 2,
    gains: "bounded, single-flight loads, byte bounds, metrics",
  },
  "ttl-cache": {
    package: "@perflayer/cache",
    exports: ["CacheManager"],
    methods: ["cache", "getOrLoad"],
    api: "CacheManager.cache(name, { ttl, max }).getOrLoad(key, loader)",
    after:
      'const users = caches.cache<string, User>("users", { ttl: 60_000, max: 10_000 });\nconst user = await users.getOrLoad(id, (key, { signal }) => loadUser(key, signal));',
    lines: 2,
    gains: "expiry without hand-kept timestamps, stale-while-revalidate, single-flight loads",
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
  "cache-invalidate": {
    package: "@perflayer/cache",
    exports: ["CacheManager"],
    methods: ["cache", "delete", "invalidateTag", "clear"],
    api: "cache.delete(key) / cache.invalidateTag(tag) / cache.clear()",
    after: 'caches.cache("statements").invalidateTag(`user:${id}`);',
    lines: 1,
    gains: "tag and prefix invalidation counted as evictions in the metrics",
  },
  "seen-cache": {
    package: "@perflayer/cache",
    exports: ["CacheManager"],
    methods: ["cache", "has", "set"],
    api: "CacheManager.cache(name, { max, ttl }) as a bounded seen-set",
    after:
      'const warned = caches.cache<string, true>("warned", { max: 10_000 });\nif (!warned.has(key)) { warned.set(key, true); warn(key); }',
    lines: 2,
    gains: "a bound (and optional expiry) on what is remembered",
  },
  "object-pool": {
    package: "@perflayer/memory",
    exports: ["ObjectPool", "BufferPool"],
    methods: ["acquire", "release", "take"],
    api: "new ObjectPool({ create, reset, max }) / new BufferPool()",
    after:
      'const pool = new ObjectPool({ name: "parsers", create: () => new Parser(), reset: (p) => p.reset(), max: 64 });\nusing lease = await pool.acquire();',
    lines: 2,
    gains: "bounds, waiting acquires, double-release detection, shedding under memory pressure",
  },
  "pool-idle-expiry": {
    package: "@perflayer/memory",
    exports: ["ObjectPool"],
    methods: ["acquire"],
    api: "new ObjectPool({ idleTimeoutMs, min })",
    after:
      'const pool = new ObjectPool({ name: "conns", create, destroy, min: 2, idleTimeoutMs: 30_000 });',
    lines: 1,
    gains: "idle shrinking with a floor, driven by the pool's clock",
  },
  "size-accounting": {
    package: "@perflayer/cache",
    exports: ["CacheManager"],
    methods: ["cache"],
    api: "CacheManager.cache(name, { maxSize, sizeOf })",
    after:
      'const chunks = caches.cache<string, Buffer>("chunks", { maxSize: 64 * 1024 * 1024, sizeOf: (b) => b.length });',
    lines: 1,
    gains: "byte bounds enforced by eviction, reported as bytes to the memory optimizer",
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
  timeout: {
    ...WITH_TIMEOUT,
    gains: "typed TimeoutError, the work is aborted, the timer always cleared",
  },
  "timeout-race": {
    ...WITH_TIMEOUT,
    gains: "no dangling timer after the race, the losing work is aborted",
  },
  "retry-backoff": {
    package: "@perflayer/response",
    exports: ["retry"],
    methods: [],
    api: "retry(fn, { attempts, backoff })",
    after:
      "const result = await retry(({ signal }) => callBackend({ signal }), { attempts: 4, backoff: { initialMs: 100 } });",
    lines: 1,
    gains: "full jitter, caps, deadlines and aborts",
  },
  "retry-poll": {
    package: "@perflayer/response",
    exports: ["retry"],
    methods: [],
    api: "retry(fn, { attempts, backoff: { initialMs, factor: 1 } })",
    after:
      "await retry(() => writeChunk(fd, chunk), { attempts: 10, backoff: { initialMs: 100, factor: 1 } });",
    lines: 1,
    gains: "bounded attempts with a deadline and an abort signal",
  },
  "concurrency-limit": {
    package: "@perflayer/response",
    exports: ["ResponseOptimizer"],
    methods: ["run"],
    api: "new ResponseOptimizer({ concurrency }).run(task)",
    after:
      'const responses = new ResponseOptimizer({ concurrency: 8 });\nawait responses.run(({ signal }) => work(signal), { priority: "high" });',
    lines: 2,
    gains: "priorities, deadlines from enqueue, load shedding",
  },
  dedup: {
    package: "@perflayer/response",
    exports: ["ResponseOptimizer"],
    methods: ["run"],
    api: "responses.run(task, { key }) (coalescing)",
    after: 'const slots = await responses.run(() => refreshSlots(), { key: "refresh-slots" });',
    lines: 1,
    gains: "concurrent callers share one execution; failures are not kept",
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
  "circuit-breaker": {
    package: "@perflayer/response",
    exports: ["ResponseOptimizer", "AimdLimit"],
    methods: ["run"],
    api: "new ResponseOptimizer({ concurrency: new AimdLimit(…) })",
    after:
      "const backend = new ResponseOptimizer({ concurrency: new AimdLimit({ initial: 16, min: 1, max: 64 }) });",
    lines: 1,
    gains:
      "an adaptive limit that backs off from a failing dependency (no open state: not a breaker)",
  },
  "timer-delta": {
    package: "@perflayer/monitor",
    exports: ["PerformanceMonitor"],
    methods: ["time", "startTimer"],
    api: "monitor.time(name, fn) / monitor.startTimer(name)",
    after: 'const rows = await monitor.time("db_query_duration_seconds", () => db.query(sql));',
    lines: 1,
    gains: "a Prometheus histogram with percentiles and alerts",
  },
  "slow-op-timer": {
    package: "@perflayer/monitor",
    exports: ["PerformanceMonitor"],
    methods: ["histogram", "alert"],
    api: "monitor.histogram(…) + monitor.alert({ … })",
    after:
      'const serialize = monitor.histogram({ name: "serialize_seconds", help: "Serialization time." });\nmonitor.alert({ name: "SlowSerialize", expr: { metric: "serialize_seconds", stat: "p99" }, op: ">", threshold: 0.5 });',
    lines: 2,
    gains: "slow operations as a percentile with an alert instead of per-call log thresholds",
  },
  counter: {
    package: "@perflayer/monitor",
    exports: ["PerformanceMonitor"],
    methods: ["counter"],
    api: "monitor.counter({ name, help, labelNames })",
    after:
      'const requests = monitor.counter({ name: "requests_total", help: "Requests.", labelNames: ["outcome"] });\nrequests.inc({ outcome: "ok" });',
    lines: 2,
    gains: "exported, labelled, alertable counters",
  },
  "metric-object": {
    package: "@perflayer/monitor",
    exports: ["PerformanceMonitor"],
    methods: ["counter", "histogram", "snapshot"],
    api: "monitor.counter(…) / monitor.histogram(…) + monitor.snapshot()",
    after:
      'const hits = monitor.counter({ name: "cache_hits_total", help: "Hits." });\nconst stats = monitor.snapshot();',
    lines: 2,
    gains: "one registry of named metrics with snapshots and exposition",
  },
  histogram: {
    package: "@perflayer/monitor",
    exports: ["PerformanceMonitor"],
    methods: ["histogram"],
    api: "monitor.histogram({ name, buckets })",
    after:
      'const sizes = monitor.histogram({ name: "payload_bytes", help: "Payload sizes.", buckets: [1e3, 1e4, 1e5] });',
    lines: 1,
    gains: "buckets, percentiles and exposition without hand-kept arrays",
  },
  "rolling-window": {
    package: "@perflayer/monitor",
    exports: ["PerformanceMonitor"],
    methods: ["histogram", "snapshot"],
    api: "monitor.histogram(…) + snapshot() window percentiles",
    after:
      'const latency = monitor.histogram({ name: "latency_seconds", help: "Latency." });\nconst { p99 } = latency.get().window;',
    lines: 2,
    gains: "bounded memory, sliding-window percentiles, exposition",
  },
});
