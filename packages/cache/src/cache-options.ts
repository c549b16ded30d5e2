import {
  assertFunction,
  assertInteger,
  assertKnownKeys,
  assertNumber,
  assertOneOf,
  describeValue,
  estimateSize,
  invalid,
} from "@perflayer/core";
import type { CachePolicy } from "./cache-metrics.js";
import type { SecondTier } from "./second-tier.js";

/**
 * Loads the value of a missing or stale key. Receives an `AbortSignal` that fires when the load
 * times out (`loadTimeoutMs`) or the entry is deleted while loading; pass it on to `fetch` & co.
 * @typeParam K - key type
 * @typeParam V - value type
 */
export type Loader<K, V> = (key: K, context: LoaderContext<V>) => V | Promise<V>;

/** What a {@link Loader} receives besides the key. */
export interface LoaderContext<V> {
  /** Aborted when the load times out or the entry is deleted meanwhile. */
  readonly signal: AbortSignal;
  /** The stale value being refreshed (stale-while-revalidate), if any. */
  readonly staleValue: V | undefined;
}

/**
 * Options of one cache. At least one bound applies: `max` (entries) and/or `maxSize` (bytes);
 * with neither, `max` defaults to 10,000.
 * @typeParam K - key type
 * @typeParam V - value type
 */
export interface CacheOptions<K, V> {
  /**
   * Most entries kept; which go first is up to `policy` (the least recently used, by default).
   * @defaultValue 10_000 when `maxSize` is not set either
   */
  readonly max?: number;
  /**
   * How the cache chooses what to evict when a bound is reached.
   *
   * - `"lru"`: the least recently used entry goes.
   * - `"tinylfu"`: W-TinyLFU, the policy of Caffeine (Java) and the admission filter of Ristretto
   *   (Go). New entries enter a small LRU window; to stay, an entry leaving the window must be
   *   estimated more popular (by a frequency sketch of recent accesses) than the entry it would
   *   displace. One-hit wonders and scans no longer flush the popular entries; the window's size
   *   adapts to the workload, so recency-biased workloads keep LRU's hit ratio.
   *
   * Either way the bounds hold, and TTLs, stale reads, tags, invalidation, loads and reclaim work
   * the same.
   * @defaultValue "lru"
   */
  readonly policy?: CachePolicy;
  /**
   * Most bytes kept, as measured by `sizeOf`.
   * @defaultValue unbounded (only `max` applies)
   */
  readonly maxSize?: number;
  /**
   * Bytes of one entry. Must return a positive finite number.
   * @defaultValue `estimateSize` from `@perflayer/core` (an estimate for strings, Buffers, typed
   * arrays and JSON-like objects)
   */
  readonly sizeOf?: (value: V, key: K) => number;
  /**
   * Largest single entry in bytes; `set` of a larger value throws `ERR_ENTRY_TOO_LARGE`, a larger
   * loaded value is returned to its callers but not cached.
   * @defaultValue `maxSize`
   */
  readonly maxEntrySize?: number;
  /**
   * How long an entry is fresh, in milliseconds. `0` means entries never expire.
   * @defaultValue 0
   */
  readonly ttl?: number;
  /**
   * Fraction (0–1) by which each entry's TTL is shortened at random, so entries written together
   * do not expire together. With `ttl: 60_000, ttlJitter: 0.1` TTLs fall between 54 s and 60 s.
   * @defaultValue 0
   */
  readonly ttlJitter?: number;
  /**
   * How long after expiry `getOrLoad` still serves the stale value while one background refresh
   * runs, in milliseconds. A failed refresh keeps the stale value until this window ends.
   * @defaultValue 0 (no stale serving)
   */
  readonly staleWhileRevalidate?: number;
  /**
   * How long after expiry a stale value still stands in for a load that fails or times out, in
   * milliseconds (the `stale-if-error` of RFC 5861): past `staleWhileRevalidate`, `getOrLoad`
   * waits for the load, and when it fails its waiters get the stale value instead of the error.
   * From then on, until a load succeeds or this window ends, the stale value is served at once
   * while one background refresh runs, so a failing or overloaded backend does not make every
   * caller wait for it. Cancelled loads (`delete`, invalidation) never fall back. With
   * `{ ttl: 1_000, staleWhileRevalidate: 2_000, staleIfError: 60_000 }` values are at most 3 s old
   * while the backend keeps up, and up to a minute old while it fails.
   * @defaultValue 0 (a failed load rejects its waiters)
   */
  readonly staleIfError?: number;
  /**
   * Loads taking longer are aborted (their signal fires) and every waiter rejects with
   * `TimeoutError`. With a `secondTier` that reads first, the time counts from its miss: the read
   * itself is bounded by the tier (e.g. `RedisTier`'s `commandTimeoutMs`).
   * @defaultValue no timeout
   */
  readonly loadTimeoutMs?: number;
  /**
   * Caches a loader's failure for this many milliseconds, so a failing backend is not hammered;
   * waiters within the window reject with the same error. `0` never caches errors.
   * @defaultValue 0
   */
  readonly negativeTtl?: number;
  /**
   * Reset an entry's TTL when it is read.
   * @defaultValue false
   */
  readonly updateAgeOnGet?: boolean;
  /**
   * A second tier under this in-memory cache, e.g. `@perflayer/cache-redis`'s `RedisTier`:
   * `getOrLoad` reads memory, then the tier, then the loader; writes and invalidations reach the
   * tier and, through it, every other process. `get`, `has` and `peek` stay synchronous and read
   * memory only.
   * @defaultValue none (memory only)
   */
  readonly secondTier?: SecondTier;
}

/** Options of `set`. */
export interface SetOptions {
  /** This entry's TTL in milliseconds, overriding the cache's `ttl` (`0`: never expires). */
  readonly ttl?: number;
  /** Tags for `invalidateTag`, e.g. `["user:42"]`. */
  readonly tags?: readonly string[];
}

/** Options of `getOrLoad`. */
export interface GetOrLoadOptions extends SetOptions {
  /** Overrides the cache's `loadTimeoutMs` for a load this call starts. */
  readonly loadTimeoutMs?: number;
  /**
   * Stops this caller waiting (it rejects with `AbortError`); the shared load goes on for the
   * others.
   */
  readonly signal?: AbortSignal;
  /** Load even when a fresh value is cached (still one load per key at a time). */
  readonly forceRefresh?: boolean;
}

/** Cache options after validation and defaults. */
export interface ResolvedCacheOptions<K, V> {
  /** The eviction policy. */
  readonly policy: CachePolicy;
  /** Most entries (0: no entry bound). */
  readonly max: number;
  /** Most bytes (0: no byte bound). */
  readonly maxSize: number;
  /** Byte measure of a value, when bytes are tracked. */
  readonly sizeOf: ((value: V, key: K) => number) | undefined;
  /** Largest entry in bytes (0: no limit). */
  readonly maxEntrySize: number;
  /** Fresh time in ms (0: no expiry). */
  readonly ttl: number;
  /** Random TTL shortening, 0–1. */
  readonly ttlJitter: number;
  /** Stale window in ms (0: none). */
  readonly staleWhileRevalidate: number;
  /** Stale-if-error window in ms after expiry (0: none). */
  readonly staleIfError: number;
  /** Load timeout in ms, if any. */
  readonly loadTimeoutMs: number | undefined;
  /** How long failures are cached, in ms (0: never). */
  readonly negativeTtl: number;
  /** Whether reads reset the TTL. */
  readonly updateAgeOnGet: boolean;
  /** The second tier, if any. */
  readonly secondTier: SecondTier | undefined;
}

const KNOWN_KEYS: readonly string[] = [
  "policy",
  "max",
  "maxSize",
  "sizeOf",
  "maxEntrySize",
  "ttl",
  "ttlJitter",
  "staleWhileRevalidate",
  "staleIfError",
  "loadTimeoutMs",
  "negativeTtl",
  "updateAgeOnGet",
  "secondTier",
];

/** Default entry bound when neither `max` nor `maxSize` is given. */
export const DEFAULT_MAX_ENTRIES = 10_000;

/**
 * Validates a cache name (it becomes a metric label).
 * @param name - the name received
 * @returns the name
 */
export function assertCacheName(name: unknown): string {
  if (typeof name !== "string" || !/^[A-Za-z0-9_.:-]{1,64}$/.test(name)) {
    throw invalid(
      {
        name: "name",
        expected: "1–64 characters of letters, digits, `_`, `.`, `:` or `-`",
        got: name,
        fix: 'Name the cache after what it holds, e.g. manager.cache("users").',
        context: "CacheManager.cache()",
      },
      "ERR_INVALID_ARGUMENT",
    );
  }
  return name;
}

/**
 * Merges defaults and options, validates every field in the house formula and fills defaults.
 * @param name - the cache name, for messages
 * @param options - the cache's own options
 * @param defaults - the manager's shared defaults
 * @returns the resolved options
 */
export function resolveCacheOptions<K, V>(
  name: string,
  options: CacheOptions<K, V>,
  defaults: CacheOptions<unknown, unknown>,
): ResolvedCacheOptions<K, V> {
  const context = `cache "${name}"`;
  if (typeof options !== "object" || options === null) {
    throw invalid({
      name: "options",
      expected: "an object",
      got: options,
      fix: "Pass e.g. { max: 1000, ttl: 60_000 }.",
      context,
    });
  }
  assertKnownKeys(options, KNOWN_KEYS, context);
  const merged = { ...defaults, ...options } as CacheOptions<K, V>;
  const positiveInt = (key: keyof CacheOptions<K, V>, fix: string): number | undefined =>
    merged[key] === undefined
      ? undefined
      : assertInteger(merged[key], { name: key, min: 1, fix, context });
  const nonNegative = (key: keyof CacheOptions<K, V>, fix: string): number =>
    merged[key] === undefined ? 0 : assertNumber(merged[key], { name: key, min: 0, fix, context });

  const policy = assertOneOf<CachePolicy>(merged.policy ?? "lru", ["lru", "tinylfu"], {
    name: "policy",
    fix: 'Pass e.g. { policy: "tinylfu" }.',
    context,
  });
  const maxSize = positiveInt("maxSize", "Pass bytes, e.g. { maxSize: 50_000_000 }.") ?? 0;
  const max =
    positiveInt("max", "Pass e.g. { max: 500 }.") ?? (maxSize > 0 ? 0 : DEFAULT_MAX_ENTRIES);
  const maxEntrySize =
    positiveInt("maxEntrySize", "Pass bytes, e.g. { maxEntrySize: 1_000_000 }.") ?? maxSize;
  if (maxSize > 0 && maxEntrySize > maxSize) {
    throw invalid({
      name: "maxEntrySize",
      expected: `at most maxSize (${maxSize})`,
      got: maxEntrySize,
      fix: "Lower maxEntrySize or raise maxSize.",
      context,
    });
  }
  const sizeOf =
    merged.sizeOf === undefined
      ? maxSize > 0 || maxEntrySize > 0
        ? (estimateSize as (value: V) => number)
        : undefined
      : assertFunction<(value: V, key: K) => number>(merged.sizeOf, {
          name: "sizeOf",
          fix: "Pass e.g. { sizeOf: (value) => value.length }.",
          context,
        });
  const ttl = nonNegative("ttl", "Pass milliseconds, e.g. { ttl: 60_000 }, or 0 for no expiry.");
  const ttlJitter = nonNegative("ttlJitter", "Pass a fraction, e.g. { ttlJitter: 0.1 }.");
  if (ttlJitter > 1) {
    throw invalid({
      name: "ttlJitter",
      expected: "a fraction between 0 and 1",
      got: ttlJitter,
      fix: "Pass e.g. { ttlJitter: 0.1 }.",
      context,
    });
  }
  const staleWhileRevalidate = nonNegative(
    "staleWhileRevalidate",
    "Pass milliseconds, e.g. { staleWhileRevalidate: 30_000 }.",
  );
  const staleIfError = nonNegative(
    "staleIfError",
    "Pass milliseconds, e.g. { staleIfError: 60_000 }.",
  );
  for (const [key, window] of [
    ["staleWhileRevalidate", staleWhileRevalidate],
    ["staleIfError", staleIfError],
  ] as const) {
    if (window > 0 && ttl === 0) {
      throw invalid({
        name: "ttl",
        expected: `> 0 when ${key} is set (entries must expire to become stale)`,
        got: merged.ttl,
        fix: `Pass e.g. { ttl: 60_000, ${key}: 30_000 }.`,
        context,
      });
    }
  }
  const loadTimeoutMs =
    merged.loadTimeoutMs === undefined
      ? undefined
      : assertNumber(merged.loadTimeoutMs, {
          name: "loadTimeoutMs",
          min: 0,
          minExclusive: true,
          fix: "Pass e.g. { loadTimeoutMs: 2_000 }.",
          context,
        });
  const negativeTtl = nonNegative("negativeTtl", "Pass milliseconds, e.g. { negativeTtl: 1_000 }.");
  const updateAgeOnGet = merged.updateAgeOnGet ?? false;
  if (typeof updateAgeOnGet !== "boolean") {
    throw invalid({ name: "updateAgeOnGet", expected: "a boolean", got: updateAgeOnGet, context });
  }
  const secondTier = merged.secondTier;
  if (
    secondTier !== undefined &&
    (typeof secondTier !== "object" ||
      secondTier === null ||
      typeof (secondTier as Partial<SecondTier>).bind !== "function")
  ) {
    throw invalid({
      name: "secondTier",
      expected: "a SecondTier (an object with a bind(cache, onRemoteInvalidation) method)",
      got: secondTier,
      fix: "Pass e.g. { secondTier: new RedisTier({ url }) } from @perflayer/cache-redis.",
      context,
    });
  }
  return {
    policy,
    max,
    maxSize,
    sizeOf,
    maxEntrySize,
    ttl,
    ttlJitter,
    staleWhileRevalidate,
    staleIfError,
    loadTimeoutMs,
    negativeTtl,
    updateAgeOnGet,
    secondTier,
  };
}

/**
 * Whether two resolved option sets are the same (functions compared by identity).
 * @param a - one
 * @param b - the other
 * @returns true when every field is identical
 */
export function sameOptions<K, V>(
  a: ResolvedCacheOptions<K, V>,
  b: ResolvedCacheOptions<K, V>,
): boolean {
  return (Object.keys(a) as (keyof ResolvedCacheOptions<K, V>)[]).every((key) =>
    Object.is(a[key], b[key]),
  );
}

/**
 * Describes a key for messages, bounded in length.
 * @param key - any key
 * @returns e.g. `"user:42"` or `42`
 */
export function describeKey(key: unknown): string {
  return describeValue(key).replace(/^`(.*)` \([a-z]+\)$/s, "$1");
}
