// A memo made per call of a factory: one store per memoized function.
export function memo<R>(fn: (key: string) => R): (key: string) => R {
  const results = new Map<string, R>();
  return (key: string) => {
    const hit = results.get(key);
    if (hit !== undefined) return hit;
    const value = fn(key);
    results.set(key, value);
    return value;
  };
}
