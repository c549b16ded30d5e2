import { describe, expect, it } from "vitest";
import { ManualClock, isResizable } from "@perflayer/core";
import { CacheManager } from "@perflayer/cache";

describe("Cache as a Resizable (budget-steered capacity)", () => {
  it("is a Resizable whose capacity is its maxSize until resized", () => {
    const manager = new CacheManager({ sweepIntervalMs: 0 });
    const bytes = manager.cache<number, string>("bytes", { maxSize: 50_000 });
    const counted = manager.cache<number, string>("counted", { max: 100 });
    expect(isResizable(bytes)).toBe(true);
    expect(bytes.capacityBytes()).toBe(50_000);
    expect(counted.capacityBytes()).toBe(Infinity);
  });

  it("bounds a byte-tracked cache by the new capacity: the excess goes at once as pressure evictions, later sets evict as size", () => {
    const manager = new CacheManager({ sweepIntervalMs: 0 });
    const cache = manager.cache<number, string>("pages", {
      maxSize: 100_000,
      sizeOf: (v) => v.length,
    });
    for (let i = 0; i < 20; i++) cache.set(i, "x".repeat(1_000));
    cache.get(0); // the most recently used entry survives
    expect(cache.resize(5_000)).toBe(15_000);
    expect(cache.sizeBytes).toBe(5_000);
    expect(cache.has(0)).toBe(true);
    expect(cache.stats().evictions).toMatchObject({ pressure: 15, size: 0 });
    for (let i = 20; i < 30; i++) cache.set(i, "x".repeat(1_000));
    expect(cache.sizeBytes).toBe(5_000);
    expect(cache.stats().evictions).toMatchObject({ pressure: 15, size: 10 });
    expect(cache.capacityBytes()).toBe(5_000);
  });

  it("never raises a byte-tracked cache above its own maxSize", () => {
    const manager = new CacheManager({ sweepIntervalMs: 0 });
    const cache = manager.cache<number, string>("capped", {
      maxSize: 3_000,
      sizeOf: (v) => v.length,
    });
    cache.resize(1_000_000);
    expect(cache.capacityBytes()).toBe(3_000);
    for (let i = 0; i < 10; i++) cache.set(i, "x".repeat(1_000));
    expect(cache.sizeBytes).toBe(3_000);
  });

  it("turns the capacity into an entry bound for a cache bounded by entries, re-estimated at each resize", () => {
    const manager = new CacheManager({ sweepIntervalMs: 0 });
    // max 2,000 with 1,000 entries: no spare storage is counted, only the entries.
    const cache = manager.cache<number, string>("counted", { max: 2_000 });
    for (let i = 0; i < 1_000; i++) cache.set(i, "y".repeat(500));
    const perEntry = cache.estimatedBytes() / cache.size;
    cache.resize(100 * perEntry);
    // Each entry also pays for its two slots of storage: a little under 100 entries fit.
    expect(cache.size).toBeLessThanOrEqual(100);
    expect(cache.size).toBeGreaterThan(90);
    const bound = cache.size;
    for (let i = 1_000; i < 2_000; i++) cache.set(i, "y".repeat(500));
    expect(cache.size).toBe(bound);
    cache.resize(1_000 * perEntry);
    for (let i = 2_000; i < 4_000; i++) cache.set(i, "y".repeat(500));
    expect(cache.size).toBeGreaterThan(900);
    expect(cache.size).toBeLessThanOrEqual(1_000);
  });

  it("does not size a sample of entries at each eviction once resized to an entry bound", () => {
    const manager = new CacheManager({ sweepIntervalMs: 0 });
    const cache = manager.cache<number, { readonly body: string }>("counted", { max: 10_000 });
    // Values that count how often their size is estimated (estimateSize reads each property).
    let reads = 0;
    const value = (): { readonly body: string } => ({
      get body() {
        reads++;
        return "y".repeat(500);
      },
    });
    for (let i = 0; i < 200; i++) cache.set(i, value());
    cache.resize(cache.sizeBytes / 2);
    const bound = cache.size;
    reads = 0;
    for (let i = 200; i < 1_200; i++) cache.set(i, value()); // each evicts one (size)
    // Sizing each evicted entry by a sample of 32 entries cost 32,000 reads here, and allocation
    // enough to change how V8 collected a service's heap.
    expect(reads).toBe(0);
    expect(cache.size).toBe(bound);
    expect(cache.stats().evictions.size).toBe(1_000);
  });

  it("sizes the bound from the first entries when resized while empty", () => {
    const manager = new CacheManager({ sweepIntervalMs: 0 });
    const cache = manager.cache<number, string>("empty", { max: 10_000 });
    cache.resize(60_000); // about 100 entries of ~600 bytes, unknown yet
    for (let i = 0; i < 1_000; i++) cache.set(i, "z".repeat(500));
    expect(cache.size).toBeGreaterThan(50);
    expect(cache.size).toBeLessThan(200);
  });

  it("counts the storage a store grew to beyond its entries, and gives it back on resize and reclaim", () => {
    const manager = new CacheManager({ sweepIntervalMs: 0 });
    const big = manager.cache<number, string>("big", { max: 1_000_000 });
    for (let i = 0; i < 70_000; i++) big.set(i, "v"); // the store doubles to 131,072 slots
    for (let i = 10; i < 70_000; i++) big.delete(i);
    // Two pointer arrays and three uint32 arrays of 131,072 slots: about 3.7 MB.
    expect(big.estimatedBytes()).toBeGreaterThan(3_000_000);
    expect(big.resize(10_000_000)).toBeGreaterThan(3_000_000);
    expect(big.estimatedBytes()).toBeLessThan(100_000);
    expect(big.size).toBe(10);

    const other = manager.cache<number, string>("other", { max: 1_000_000 });
    for (let i = 0; i < 70_000; i++) other.set(i, "v");
    for (let i = 10; i < 70_000; i++) other.delete(i);
    expect(other.reclaim(1)).toBeGreaterThan(3_000_000);
    expect(other.size).toBe(10); // the storage was enough: no entry had to go
  });

  it("grows a store it gave back as the cache refills, up to max, keeping recency", () => {
    const manager = new CacheManager({ sweepIntervalMs: 0 });
    const cache = manager.cache<number, number>("regrow", { max: 100_000 });
    for (let i = 0; i < 10; i++) cache.set(i, i);
    cache.reclaim(1); // store shrunk to 1,024 slots
    cache.get(0);
    for (let i = 10; i < 50_000; i++) cache.set(i, i);
    expect(cache.size).toBe(50_000);
    expect(cache.has(0)).toBe(true);
    expect(cache.stats().evictions.size).toBe(0);
    for (let i = 50_000; i < 100_010; i++) cache.set(i, i);
    expect(cache.size).toBe(100_000); // max still applies
  });

  it("keeps remaining TTLs and sizes when entries move to a smaller store", () => {
    const clock = new ManualClock();
    const manager = new CacheManager({ sweepIntervalMs: 0, clock });
    const cache = manager.cache<number, string>("ttl", { max: 100_000, ttl: 1_000 });
    cache.set(1, "a");
    clock.advance(600);
    cache.set(2, "b");
    cache.reclaim(1); // moves both entries to a small store
    clock.advance(500); // entry 1 is 1,100 ms old, entry 2 500 ms
    expect(cache.get(1)).toBeUndefined();
    expect(cache.get(2)).toBe("b");
  });

  it("rejects a negative capacity", () => {
    const manager = new CacheManager({ sweepIntervalMs: 0 });
    expect(() => manager.cache("neg").resize(-1)).toThrow(
      "Expected `capacityBytes` to be a finite number >= 0",
    );
  });
});
