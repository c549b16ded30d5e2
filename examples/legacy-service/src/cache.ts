// Hand-rolled caches, the way they accumulate: a Map with TTL checks, a memoizer and a promise
// cache. No bounds, no stampede protection, and the promise cache keeps rejections.

interface Entry<V> {
  value: V;
  expires: number;
}

export class TtlCache<V> {
  private readonly entries = new Map<string, Entry<V>>();

  constructor(private readonly ttlMs: number) {}

  get(key: string): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (Date.now() > entry.expires) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  set(key: string, value: V): void {
    this.entries.set(key, { value, expires: Date.now() + this.ttlMs });
  }

  clear(): void {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}

export function memoize<A, R>(fn: (arg: A) => R): (arg: A) => R {
  const memo = new Map<A, R>();
  return (arg: A) => {
    if (memo.has(arg)) return memo.get(arg) as R;
    const result = fn(arg);
    memo.set(arg, result);
    return result;
  };
}

const inflight = new Map<string, Promise<unknown>>();

export function cachedPromise<T>(key: string, load: () => Promise<T>): Promise<T> {
  let promise = inflight.get(key) as Promise<T> | undefined;
  if (!promise) {
    promise = load();
    inflight.set(key, promise);
  }
  return promise;
}

export function clearPromiseCache(): void {
  inflight.clear();
}
