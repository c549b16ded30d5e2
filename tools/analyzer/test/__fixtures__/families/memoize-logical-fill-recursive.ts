// A proxy per path memoised in a record handed down the recursion, made from the path.
// expect: caching/memoize 3-11 elim 6 "writes `seen[key] ??= new Proxy"
export function proxyFor(path: readonly string[], seen: Record<string, unknown>): unknown {
  const key = path.join(".");
  seen[key] ??= new Proxy(() => undefined, {
    get(_target, prop) {
      return proxyFor([...path, String(prop)], seen);
    },
  });
  return seen[key];
}
