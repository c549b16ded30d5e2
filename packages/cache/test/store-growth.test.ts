import { describe, expect, it } from "vitest";
import { ManualClock } from "@perflayer/core";
import { CacheManager } from "@perflayer/cache";

// lru-cache reserves its slot arrays for `max` entries when it is built (about 28 bytes a slot:
// 28 MB for `max: 1_000_000`); a plain cache starts with 4,096 slots and doubles them as it fills.
const FULL_RESERVATION = 1_000_000 * 22;

describe("a plain cache's store starts small and grows as it fills", () => {
  it("reserves a few thousand slots, not max, for a cache with max: 1e6", () => {
    const manager = new CacheManager({ sweepIntervalMs: 0 });
    const cache = manager.cache<number, string>("catalogue", { max: 1_000_000 });
    for (let i = 0; i < 10; i++) cache.set(i, "v");
    // The spare storage estimatedBytes() counts is that of the store held now: 4,096 slots.
    expect(cache.estimatedBytes()).toBeLessThan(200_000);
    expect(cache.reclaim(0)).toBeLessThan(200_000);
  });

  it("doubles the store as it fills, keeping every entry and the recency order", () => {
    const manager = new CacheManager({ sweepIntervalMs: 0 });
    const cache = manager.cache<number, number>("grow", { max: 1_000_000 });
    for (let i = 0; i < 20_000; i++) {
      cache.set(i, i);
      if (i % 1_000 === 999) cache.get(0); // key 0 stays recently used across every doubling
    }
    expect(cache.size).toBe(20_000);
    expect(cache.stats().evictions.size).toBe(0);
    const keys = [...cache.keys()];
    expect(keys.slice(0, 3)).toEqual([0, 19_999, 19_998]); // 0 read after the last write
    expect(keys.slice(-3)).toEqual([3, 2, 1]);
    // Grown to 32,768 slots, far below the reservation for max.
    expect(cache.estimatedBytes() - cache.sizeBytes).toBeLessThan(FULL_RESERVATION / 10);
  });

  it("keeps remaining TTLs and byte sizes across a growth", () => {
    const clock = new ManualClock();
    const manager = new CacheManager({ sweepIntervalMs: 0, clock });
    const cache = manager.cache<number, string>("ttl", {
      max: 1_000_000,
      maxSize: 2 ** 30,
      sizeOf: (value) => value.length,
      ttl: 1_000,
    });
    for (let i = 0; i < 4_000; i++) cache.set(i, "ab");
    clock.advance(600);
    for (let i = 4_000; i < 10_000; i++) cache.set(i, "abc"); // grows at 4,096 and 8,192 entries
    expect(cache.size).toBe(10_000);
    expect(cache.sizeBytes).toBe(4_000 * 2 + 6_000 * 3);
    clock.advance(500); // the first 4,000 entries are 1,100 ms old, the rest 500 ms
    expect(cache.get(0)).toBeUndefined();
    expect(cache.get(3_999)).toBeUndefined();
    expect(cache.get(4_000)).toBe("abc");
    expect(cache.get(9_999)).toBe("abc");
  });

  it("counts entries that expired before a growth as ttl evictions", () => {
    const clock = new ManualClock();
    const manager = new CacheManager({ sweepIntervalMs: 0, clock });
    const cache = manager.cache<number, string>("expiring", { max: 1_000_000, ttl: 1_000 });
    for (let i = 0; i < 4_000; i++) cache.set(i, "old");
    clock.advance(1_100);
    for (let i = 4_000; i < 4_200; i++) cache.set(i, "new"); // grows at 4,096 entries
    expect(cache.stats().evictions.ttl).toBe(4_000);
    expect(cache.size).toBe(200);
    expect(cache.get(4_199)).toBe("new");
  });

  it("still evicts the least recently used entry at max", () => {
    const manager = new CacheManager({ sweepIntervalMs: 0 });
    const cache = manager.cache<number, number>("bounded", { max: 100_000 });
    for (let i = 0; i < 100_000; i++) cache.set(i, i); // grows from 4,096 slots to 100,000
    cache.get(0);
    for (let i = 100_000; i < 100_010; i++) cache.set(i, i);
    expect(cache.size).toBe(100_000);
    expect(cache.stats().evictions.size).toBe(10);
    expect(cache.has(0)).toBe(true);
    expect(cache.has(1)).toBe(false);
    expect(cache.has(10)).toBe(false);
    expect(cache.has(11)).toBe(true);
  });
});
