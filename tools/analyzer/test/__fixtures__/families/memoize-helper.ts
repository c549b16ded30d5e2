// A helper that computes a value on its first call and keeps it in its closure.
// expect: caching/memoize 6-7 elim 2 "closure of a memoizing helper"
export function lazy<T>(factory: () => T): () => T {
  let value: T | undefined;
  return () => {
    if (value !== undefined) return value;
    value = factory();
    return value;
  };
}
