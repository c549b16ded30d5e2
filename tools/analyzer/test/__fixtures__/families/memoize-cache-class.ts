// A class that exists for its store (every method uses it, no other state changes) is the cache:
// its memo takes the class's range; a class whose methods also change other fields is a data
// structure with a memo in it, which keeps the memo's own lines.
// expect: caching/memoize 8-28 elim 15 "writes `this.entries.set(key, value)` on a miss"
// expect: caching/cache-invalidate 21-23 elim 3 "this.entries"
// expect: caching/memoize 35-39 elim 4 "writes `this.byKey.set(key, value)` on a miss"
declare function expand(pattern: string): RegExp;
export class PatternCache {
  private readonly entries = new Map<string, RegExp>();

  get(pattern: string): RegExp {
    const key = pattern.trim();
    let value = this.entries.get(key);
    if (value === undefined) {
      value = expand(key);
      this.entries.set(key, value);
    }
    return value;
  }

  forget(pattern: string): void {
    this.entries.delete(pattern.trim());
  }

  get size(): number {
    return this.entries.size;
  }
}

export class KeyedMap<V> {
  private readonly byKey = new Map<string, V>();
  private lastKey: string | undefined;

  provide(key: string, compute: () => V): V {
    let value = this.byKey.get(key);
    if (value === undefined) {
      value = compute();
      this.byKey.set(key, value);
    }
    this.lastKey = key;
    return value;
  }

  last(): V | undefined {
    return this.lastKey === undefined ? undefined : this.byKey.get(this.lastKey);
  }
}
