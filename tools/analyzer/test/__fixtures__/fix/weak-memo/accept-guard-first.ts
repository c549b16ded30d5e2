class Source {
  constructor(readonly text: string) {}
}
class CachedSource extends Source {}

const cachedSources = new WeakMap<Source, CachedSource>();

export function toCachedSource(source: Source): CachedSource {
  if (source instanceof CachedSource) {
    return source;
  }
  const entry = cachedSources.get(source);
  if (entry !== undefined) return entry;
  const cached = new CachedSource(source.text);
  cachedSources.set(source, cached);
  return cached;
}
