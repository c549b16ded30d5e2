import { assertFunction } from "@perflayer/core";
import type { Cache } from "./cache.js";
import type { SetOptions } from "./cache-options.js";

/**
 * Options of {@link memoize}.
 * @typeParam A - the argument types
 * @typeParam K - the cache key type
 */
export interface MemoizeOptions<A extends readonly unknown[], K> {
  /**
   * Builds the cache key from the arguments.
   * @defaultValue a single string or number argument as is; otherwise `JSON.stringify(args)`
   * (prefixed so it cannot collide with a string argument)
   */
  readonly key?: (...args: A) => K;
  /**
   * Treat the function as async: route calls through `getOrLoad`, so concurrent calls with one
   * key share one call. Detected for `async function`s; a plain function returning a promise is
   * detected on its first call.
   */
  readonly async?: boolean;
  /** `ttl` and `tags` of the entries written. */
  readonly set?: SetOptions;
}

/**
 * A memoized function, with its cache and a way to forget one result.
 * @typeParam A - the argument types
 * @typeParam R - the result type
 */
export interface Memoized<A extends readonly unknown[], R> {
  /** Calls the function, or returns its cached result. */
  (...args: A): R;
  /**
   * Forgets the cached result for `args`.
   * @returns whether a result was cached
   */
  forget(...args: A): boolean;
}

function defaultKey(...args: readonly unknown[]): NonNullable<unknown> {
  if (args.length === 1) {
    const [only] = args;
    if (typeof only === "string" || typeof only === "number") return only;
  }
  return `\u0000${JSON.stringify(args)}`;
}

/**
 * Memoizes `fn` in `cache`. Sync functions are cached with `get`/`set`; async ones go through
 * `getOrLoad`, so concurrent calls with one key share one call and failures are not cached
 * (unless the cache has `negativeTtl`).
 *
 * @example
 * ```ts
 * const slugify = memoize((title: string) => expensiveSlug(title), caches.cache("slugs", { max: 1_000 }));
 * const getUser = memoize(async (id: string) => db.user(id), caches.cache("users", { ttl: 60_000 }));
 * ```
 * @typeParam A - the argument types
 * @typeParam R - the result type
 * @typeParam K - the cache key type
 * @param fn - the function to memoize
 * @param cache - where results are kept
 * @param options - key function, async hint, entry options
 * @returns the memoized function
 */
export function memoize<
  A extends readonly unknown[],
  R,
  K extends NonNullable<unknown> = NonNullable<unknown>,
>(
  fn: (...args: A) => R,
  cache: Cache<K, Awaited<R>>,
  options: MemoizeOptions<A, K> = {},
): Memoized<A, R> {
  assertFunction(fn, { name: "fn", context: "memoize()", fix: "Pass the function to memoize." });
  const keyOf = options.key ?? (defaultKey as unknown as (...args: A) => K);
  const set = options.set;
  let isAsync = options.async ?? fn.constructor.name === "AsyncFunction";
  const load = (args: A): Promise<Awaited<R>> =>
    cache.getOrLoad(keyOf(...args), () => fn(...args) as Awaited<R> | Promise<Awaited<R>>, set);
  const memoized = (...args: A): R => {
    if (isAsync) return load(args) as R;
    const key = keyOf(...args);
    const hit = cache.get(key);
    if (hit !== undefined) return hit;
    const result = fn(...args);
    if (result instanceof Promise) {
      // A plain function returning promises: from now on go through getOrLoad.
      isAsync = true;
      return cache.getOrLoad(key, () => result as Promise<Awaited<R>>, set) as R;
    }
    cache.set(key, result as Awaited<R>, set);
    return result;
  };
  return Object.assign(memoized, { forget: (...args: A): boolean => cache.delete(keyOf(...args)) });
}
