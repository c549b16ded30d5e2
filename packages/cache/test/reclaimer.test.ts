import { describe, expect, it } from "vitest";
import { RecordingInstrumentation } from "@perflayer/core";
import type { Reclaimer } from "@perflayer/core";
import { CacheManager } from "@perflayer/cache";
import type { CachePolicy } from "@perflayer/cache";
import { POLICIES } from "./policies.js";

describe.each(POLICIES)("Cache as a Reclaimer (%s)", (policy: CachePolicy) => {
  it("sheds entries (the policy's eviction order) until the byte target is met, counted as pressure", () => {
    const manager = new CacheManager({ sweepIntervalMs: 0, defaults: { policy } });
    const cache = manager.cache<number, string>("big", {
      maxSize: 100_000,
      sizeOf: (v) => v.length,
    });
    for (let i = 0; i < 10; i++) cache.set(i, "x".repeat(1_000));
    cache.get(0); // most recently used now
    const reclaimer: Reclaimer = cache;
    expect(reclaimer.name).toBe("big");
    expect(reclaimer.estimatedBytes()).toBe(10_000);
    const freed = reclaimer.reclaim(2_500);
    expect(freed).toBe(3_000);
    expect(cache.size).toBe(7);
    expect(cache.has(0)).toBe(true);
    expect(cache.has(1)).toBe(false);
    expect(cache.stats().evictions).toMatchObject({ pressure: 3, size: 0, manual: 0 });
  });

  it("estimates bytes from a sample when the cache does not track sizes, and shrinks by fraction", () => {
    const manager = new CacheManager({ sweepIntervalMs: 0, defaults: { policy } });
    const cache = manager.cache<number, string>("counted", { max: 1_000 });
    for (let i = 0; i < 100; i++) cache.set(i, "y".repeat(500));
    const before = cache.estimatedBytes();
    expect(before).toBeGreaterThan(100 * 500);
    const freed = cache.shrink(0.25);
    expect(freed).toBeGreaterThanOrEqual(before * 0.25);
    expect(cache.size).toBe(75);
  });

  it("rejects a negative target", () => {
    const manager = new CacheManager({ sweepIntervalMs: 0, defaults: { policy } });
    expect(() => manager.cache("neg").reclaim(-1)).toThrow(
      "Expected `targetBytes` to be a finite number >= 0",
    );
  });

  it("has one size in bytes: stats, sizeBytes, the gauge and the reclaimer agree, with and without byte tracking", () => {
    const recording = new RecordingInstrumentation();
    const manager = new CacheManager({
      sweepIntervalMs: 0,
      instrumentation: recording,
      defaults: { policy },
    });
    const untracked = manager.cache<string, string>("plain");
    const tracked = manager.cache<string, string>("tracked", { maxSize: 1_000_000 });
    for (const cache of [untracked, tracked])
      for (let i = 0; i < 3; i++) cache.set(`k${i}`, "z".repeat(100));
    // Under lru, the default max (10,000) reserves storage the 3 entries do not need: the reclaimer
    // also counts it, as reclaim gives it back first (and keeps the entries). The W-TinyLFU store
    // manages its own storage: nothing beyond the entries is counted.
    const spare = untracked.estimatedBytes() - untracked.sizeBytes;
    if (policy === "lru") {
      expect(untracked.reclaim(spare)).toBeGreaterThan(0);
      expect(untracked.size).toBe(3);
    } else expect(spare).toBe(0);
    for (const cache of [untracked, tracked]) {
      const bytes = cache.estimatedBytes();
      expect(bytes).toBeGreaterThanOrEqual(300);
      expect(cache.stats().sizeBytes).toBe(bytes);
      expect(cache.sizeBytes).toBe(bytes);
      expect(recording.value("perflayer_cache_size_bytes", { cache: cache.name })).toBe(bytes);
    }
    expect(untracked.sizeBytes).toBe(tracked.sizeBytes); // the same measure (estimateSize)
  });
});
