// A pattern compiled once per route with `??=` on a kept record: read, check and write are one.
// expect: caching/memoize 3-6 elim 2 "the value is computed on a miss and kept for the next call"
const patternCache: Record<string, RegExp> = Object.create(null);

export function patternFor(route: string): RegExp {
  return (patternCache[route] ??= new RegExp(`^${route.replace(/\*/g, ".*")}$`));
}
