import { LRUCache } from "lru-cache";
import { assertFunction, assertInteger, assertKnownKeys } from "@perflayer/core";
import { DEFAULT_MAX_ENTRIES } from "./cache-options.js";

/** Options of {@link memoizeLocal}. */
export interface MemoizeLocalOptions {
  /**
   * The most results kept; past it the least recently used one goes.
   * @defaultValue 10_000 (as a named cache's `max`)
   */
  readonly max?: number;
}

/**
 * A function of one key memoized by {@link memoizeLocal}, in a store of its own.
 * @typeParam K - the key (compared as a `Map` compares keys: by value for primitives, by identity
 *   for objects)
 * @typeParam R - the result type
 */
export interface MemoizedLocal<K extends NonNullable<unknown>, R> {
  /** Calls the function for `key`, or returns the result kept for it. */
  (key: K): R;
  /**
   * Forgets the result kept for `key`.
   * @returns whether a result was kept
   */
  forget(key: K): boolean;
  /** Whether a result (or a promise in flight) is kept for `key`. */
  has(key: K): boolean;
}

const KNOWN_KEYS = ["max"] as const;

/**
 * Memoizes a function of one key in a bounded store that belongs to the memoized function and
 * goes with it — for a memo made per call or per instance (a `new Map()` inside a factory, a
 * plugin's `apply`, a constructor), where one named cache of a `CacheManager` would merge the
 * stores of every call and outlive them. Keys are compared as a `Map` compares them (an object by
 * identity); at most `max` results are kept, the least recently used going first. An `undefined`
 * result is not kept (the next call computes it again). A function returning a promise is
 * single-flight per key (concurrent calls get the one promise) and a rejection is not kept. No
 * metrics: memoize into a named cache (`memoize(fn, caches.cache(name))`) to have them.
 *
 * @example
 * ```ts
 * function compile(rules: readonly Rule[]) {
 *   const matcherOf = memoizeLocal((pattern: string) => toRegExp(pattern), { max: 1_000 });
 *   return (path: string) => rules.some((r) => matcherOf(r.pattern).test(path));
 * }
 * ```
 * @typeParam K - the key
 * @typeParam R - the result type
 * @param fn - the function of one key to memoize
 * @param options - how many results to keep
 * @returns the memoized function, with `forget(key)` and `has(key)`
 */
export function memoizeLocal<K extends NonNullable<unknown>, R>(
  fn: (key: K) => R,
  options: MemoizeLocalOptions = {},
): MemoizedLocal<K, R> {
  assertFunction(fn, {
    name: "fn",
    context: "memoizeLocal()",
    fix: "Pass the function of one key to memoize, e.g. memoizeLocal((path) => parse(path)).",
  });
  assertKnownKeys(options, KNOWN_KEYS, "memoizeLocal()");
  const max = assertInteger(options.max ?? DEFAULT_MAX_ENTRIES, {
    name: "max",
    min: 1,
    context: "memoizeLocal()",
    fix: "Pass e.g. { max: 1_000 }.",
  });
  // Boxed: lru-cache holds no `null`, which is a result like any other here.
  const results = new LRUCache<K, { readonly result: R }>({ max });
  const memoized = (key: K): R => {
    const hit = results.get(key);
    if (hit !== undefined) return hit.result;
    const result = fn(key);
    if (result === undefined) return result;
    const box = { result };
    results.set(key, box);
    if (result instanceof Promise)
      result.catch(() => {
        if (results.peek(key) === box) results.delete(key);
      });
    return result;
  };
  return Object.assign(memoized, {
    forget: (key: K): boolean => results.delete(key),
    has: (key: K): boolean => results.has(key),
  });
}
