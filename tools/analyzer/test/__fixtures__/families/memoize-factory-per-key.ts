// The near miss of no-generic-map-default.ts: the same get-or-compute with the caller's factory and
// a `set` taking the caller's value, but in a class that drops entries when their source changes —
// a cache kept to save the factory's work.
// expect: caching/memoize 6-25 elim 14 "computed on a miss"
// expect: caching/cache-invalidate 22-24 elim 3 "a store this code fills on a miss"
export class Compiled<V> {
  private readonly compiled = new Map<string, V>();

  get(source: string, compile: () => V): V {
    let value = this.compiled.get(source);
    if (value === undefined) {
      value = compile();
      this.compiled.set(source, value);
    }
    return value;
  }

  set(source: string, value: V): void {
    this.compiled.set(source, value);
  }

  onSourceChanged(source: string): void {
    this.compiled.delete(source);
  }
}
