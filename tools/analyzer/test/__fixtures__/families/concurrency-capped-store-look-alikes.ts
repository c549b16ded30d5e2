// Keyed stores whose size is compared with a bound but that hold data, not work in flight: an LRU
// trimmed by a predicate its own eviction loop calls, and a registry that admits new series up to
// a cap and drops expired ones in a sweep. Nothing taken out of them is completed.
// expect: none
export class BoundedStore<V> {
  readonly #entries = new Map<string, V>();
  constructor(private readonly limit: number) {}

  put(key: string, value: V): void {
    this.#entries.set(key, value);
    this.#popWhile(() => this.#entries.size > this.limit);
  }

  remove(key: string): boolean {
    return this.#entries.delete(key);
  }

  #popWhile(more: () => boolean): void {
    while (more()) {
      const oldest = this.#entries.keys().next().value;
      if (oldest === undefined) return;
      this.#entries.delete(oldest);
    }
  }
}

interface Series {
  touched: boolean;
  expired: boolean;
}

export class SeriesRegistry {
  readonly series = new Map<string, Series>();
  constructor(private readonly cap: number) {}

  admit(key: string, s: Series): void {
    if (!this.series.has(key) && this.series.size < this.cap) this.series.set(key, s);
  }

  sweep(): number {
    let removed = 0;
    for (const [key, s] of this.series) {
      if (s.touched) s.touched = false;
      else {
        s.expired = true;
        this.series.delete(key);
        removed++;
      }
    }
    return removed;
  }
}
