// expect: caching/ttl-map-cache
export class ProductCache {
  private readonly store = new Map<string, { data: unknown; storedAt: number }>();
  constructor(private readonly ttlMs: number) {}

  get(key: string): unknown {
    const hit = this.store.get(key);
    if (!hit) return undefined;
    if (Date.now() - hit.storedAt > this.ttlMs) {
      this.store.delete(key);
      return undefined;
    }
    return hit.data;
  }

  set(key: string, data: unknown): void {
    this.store.set(key, { data, storedAt: Date.now() });
  }
}
