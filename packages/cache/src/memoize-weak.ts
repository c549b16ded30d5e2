import { assertFunction, invalid } from "@perflayer/core";

/**
 * A function memoized per key object by {@link memoizeWeak}.
 * @typeParam K - the key (an object or function)
 * @typeParam R - the result type
 */
export interface MemoizedWeak<K extends object, R> {
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

const isWeakKey = (key: unknown): key is object =>
  (typeof key === "object" && key !== null) || typeof key === "function";

/**
 * Memoizes `fn` per key object in a `WeakMap`: a result lives as long as its key does and is
 * collected with it — for values derived from an object (a parsed node's facts, a request's
 * context, a class's metadata) that must not outlive it, which no bounded cache can promise.
 * Results are kept as they are, `undefined` included. A function returning a promise is
 * single-flight per key (concurrent calls get the one promise) and a rejection is not kept: the
 * next call with that key calls `fn` again. A primitive key is a `PerflayerConfigError`
 * (`ERR_INVALID_ARGUMENT`); use {@link memoize} with a cache for those.
 *
 * @example
 * ```ts
 * const factsOf = memoizeWeak((node: ts.Node) => computeFacts(node));
 * const userOf = memoizeWeak(async (request: Request) => loadUser(request.headers));
 * factsOf(node); // computed once per node, collected with it
 * ```
 * @typeParam K - the key (an object or function)
 * @typeParam R - the result type
 * @param fn - the function of one object to memoize
 * @returns the memoized function, with `forget(key)` and `has(key)`
 */
export function memoizeWeak<K extends object, R>(fn: (key: K) => R): MemoizedWeak<K, R> {
  assertFunction(fn, {
    name: "fn",
    context: "memoizeWeak()",
    fix: "Pass the function of one object to memoize, e.g. memoizeWeak((node) => facts(node)).",
  });
  const results = new WeakMap<K, R>();
  const checked = (key: unknown, method: string): K => {
    if (!isWeakKey(key))
      throw invalid(
        {
          name: "key",
          expected: "an object or a function (a WeakMap key)",
          got: key,
          context: `memoizeWeak()${method}`,
          fix: "Memoize primitive keys with memoize(fn, caches.cache(name)) instead.",
        },
        "ERR_INVALID_ARGUMENT",
      );
    return key as K;
  };
  const memoized = (key: K): R => {
    checked(key, "");
    if (results.has(key)) return results.get(key) as R;
    const result = fn(key);
    results.set(key, result);
    if (result instanceof Promise)
      result.catch(() => {
        if (results.get(key) === result) results.delete(key);
      });
    return result;
  };
  return Object.assign(memoized, {
    forget: (key: K): boolean => results.delete(checked(key, ".forget")),
    has: (key: K): boolean => results.has(checked(key, ".has")),
  });
}
