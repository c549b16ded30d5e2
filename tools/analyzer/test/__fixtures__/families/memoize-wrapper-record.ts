// One wrapper per loaded module, built once from the module's exports and reused so callers see
// the same object: a memo per object, though the record also carries a flag.
// expect: caching/memoize 4-12 elim 5 "computed on a miss"
const wrappers = new WeakMap<object, { exports: unknown; loaded: boolean; preloading: boolean }>();

export function wrapperOf(module: object, load: (m: object) => unknown) {
  const existing = wrappers.get(module);
  if (existing) return existing;
  const wrapper = { exports: load(module), loaded: true, preloading: false };
  wrappers.set(module, wrapper);
  return wrapper;
}
