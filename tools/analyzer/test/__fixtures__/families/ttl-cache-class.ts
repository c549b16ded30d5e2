// A TTL cache class (entries stamped with the clock, every method using the one store, no other
// field changed) takes the class's range; the same stamps in a class that also counts its hits
// keep the check's own lines.
// expect: caching/ttl-cache 7-28 elim 18 "stamp `expires` written from the clock"
// expect: caching/ttl-cache 38-41 elim 4 "stamp `expires` written from the clock"
// expect: caching/ttl-cache 47-47 elim 1 "stamp `expires` written from the clock with the entry it dates"
export class ExpiringStore<V> {
  readonly #entries = new Map<string, { value: V; expires: number }>();

  constructor(private readonly ttl: number) {}

  get(key: string): V | undefined {
    const entry = this.#entries.get(key);
    if (entry !== undefined && entry.expires < Date.now()) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry?.value;
  }

  put(key: string, value: V): void {
    this.#entries.set(key, { value, expires: Date.now() + this.ttl });
  }

  clear(): void {
    this.#entries.clear();
  }
}

export class CountingStore<V> {
  readonly #entries = new Map<string, { value: V; expires: number }>();
  hits = 0;

  constructor(private readonly ttl: number) {}

  get(key: string): V | undefined {
    const entry = this.#entries.get(key);
    if (entry !== undefined && entry.expires < Date.now()) {
      this.#entries.delete(key);
      return undefined;
    }
    if (entry !== undefined) this.hits++;
    return entry?.value;
  }

  put(key: string, value: V): void {
    this.#entries.set(key, { value, expires: Date.now() + this.ttl });
  }
}
