import { describe, expect, it } from "vitest";
import {
  ManualClock,
  PerflayerConfigError,
  PerflayerError,
  RecordingInstrumentation,
} from "@perflayer/core";
import { CacheManager } from "@perflayer/cache";
import type { CachePolicy } from "@perflayer/cache";
import { POLICIES } from "./policies.js";

describe("CacheManager", () => {
  it("returns the same cache for one name with equal options, and refuses different options", () => {
    const manager = new CacheManager({ sweepIntervalMs: 0 });
    const a = manager.cache<string, number>("users", { max: 10, ttl: 1_000 });
    expect(manager.cache<string, number>("users", { max: 10, ttl: 1_000 })).toBe(a);
    expect(() => manager.cache("users", { max: 20 })).toThrow(PerflayerError);
    expect(() => manager.cache("users", { max: 20 })).toThrow(
      /cache "users" already exists with other options/,
    );
    expect(() => manager.cache("users", { max: 10, ttl: 1_000, policy: "tinylfu" })).toThrow(
      /cache "users" already exists with other options/,
    );
    expect(manager.names()).toEqual(["users"]);
    expect(manager.has("users")).toBe(true);
  });

  it("merges shared defaults under each cache's own options", () => {
    const manager = new CacheManager({ defaults: { ttl: 5_000, max: 100 }, sweepIntervalMs: 0 });
    const cache = manager.cache("sessions", { max: 7 });
    expect(cache.options).toMatchObject({ ttl: 5_000, max: 7 });
  });

  it.each([
    [{ max: 0 }, "Expected `max` to be an integer >= 1, got `0` (number). Pass e.g. { max: 500 }."],
    [{ ttl: -1 }, "Expected `ttl` to be a finite number >= 0, got `-1` (number)."],
    [{ sizeOf: 5, maxSize: 100 }, "Expected `sizeOf` to be a function, got `5` (number)."],
    [{ ttlJitter: 2 }, "Expected `ttlJitter` to be a fraction between 0 and 1"],
    [{ staleWhileRevalidate: 1_000 }, "Expected `ttl` to be > 0 when staleWhileRevalidate is set"],
    [{ staleIfError: 60_000 }, "Expected `ttl` to be > 0 when staleIfError is set"],
    [{ ttl: 1_000, staleIfError: -1 }, "Expected `staleIfError` to be a finite number >= 0"],
    [{ maxSize: 100, maxEntrySize: 200 }, "Expected `maxEntrySize` to be at most maxSize (100)"],
    [{ tll: 100 }, "Unknown option `tll`"],
    [
      { policy: "lfu" },
      'Expected `policy` to be one of "lru", "tinylfu", got `"lfu"` (string). Pass e.g. { policy: "tinylfu" }.',
    ],
  ])("rejects invalid options %j with a config error in the house formula", (options, message) => {
    const manager = new CacheManager({ sweepIntervalMs: 0 });
    let error: unknown;
    try {
      manager.cache("bad", options as never);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(PerflayerConfigError);
    expect((error as Error).message).toContain('cache "bad"');
    expect((error as Error).message).toContain(message);
  });

  it("rejects invalid cache names and manager options", () => {
    const manager = new CacheManager({ sweepIntervalMs: 0 });
    expect(() => manager.cache("has spaces")).toThrow(PerflayerConfigError);
    expect(() => new CacheManager({ defaults: { max: -1 } })).toThrow(PerflayerConfigError);
    expect(() => new CacheManager({ sweep: 5 } as never)).toThrow("Unknown option `sweep`");
  });

  it("reports the architecture's perflayer_cache_* metrics through instrumentation", async () => {
    const recording = new RecordingInstrumentation();
    const clock = new ManualClock();
    const manager = new CacheManager({ instrumentation: recording, clock, sweepIntervalMs: 0 });
    const cache = manager.cache<string, string>("users", { max: 2 });
    await cache.getOrLoad("a", () => {
      clock.advance(20);
      return "A";
    });
    cache.get("a");
    cache.get("zzz");
    cache.set("b", "B");
    cache.set("c", "C"); // evicts "a" by size
    cache.delete("b");
    const labels = { cache: "users" };
    expect(recording.value("perflayer_cache_requests_total", { ...labels, result: "hit" })).toBe(1);
    expect(recording.value("perflayer_cache_requests_total", { ...labels, result: "miss" })).toBe(
      2,
    );
    expect(recording.value("perflayer_cache_loads_total", { ...labels, outcome: "success" })).toBe(
      1,
    );
    expect(recording.observations("perflayer_cache_load_duration_seconds", labels)).toEqual([0.02]);
    expect(recording.value("perflayer_cache_evictions_total", { ...labels, cause: "size" })).toBe(
      1,
    );
    expect(recording.value("perflayer_cache_evictions_total", { ...labels, cause: "manual" })).toBe(
      1,
    );
    expect(recording.value("perflayer_cache_entries", labels)).toBe(1);
    expect(recording.names().sort()).toEqual([
      "perflayer_cache_entries",
      "perflayer_cache_evictions_total",
      "perflayer_cache_load_duration_seconds",
      "perflayer_cache_loads_total",
      "perflayer_cache_requests_total",
      "perflayer_cache_size_bytes",
    ]);
  });
});

describe.each(POLICIES)("CacheManager (%s)", (policy: CachePolicy) => {
  it("reports stats for every cache and clears them all", () => {
    const manager = new CacheManager({ sweepIntervalMs: 0, defaults: { policy } });
    const a = manager.cache<string, number>("a");
    const b = manager.cache<string, number>("b");
    a.set("x", 1);
    a.get("x");
    a.get("y");
    b.set("z", 2);
    const stats = manager.stats();
    expect(stats["a"]).toMatchObject({ entries: 1, hits: 1, misses: 1, hitRatio: 0.5 });
    expect(stats["b"]).toMatchObject({ entries: 1, hits: 0 });
    manager.clear();
    expect(a.size + b.size).toBe(0);
    expect(manager.stats()["a"]?.evictions.manual).toBe(1);
  });

  it("sweeps expired entries on one timer without reads", () => {
    const clock = new ManualClock();
    const manager = new CacheManager({ clock, sweepIntervalMs: 1_000, defaults: { policy } });
    const cache = manager.cache<string, number>("ttl", { ttl: 500 });
    for (let i = 0; i < 50; i++) cache.set(`k${i}`, i);
    expect(clock.pendingTimers).toBe(1);
    clock.advance(1_000);
    expect(cache.size).toBe(0);
    expect(cache.stats().evictions.ttl).toBe(50);
  });

  it("keeps stale entries until the end of the stale window, then sweeps them", () => {
    const clock = new ManualClock();
    const manager = new CacheManager({ clock, sweepIntervalMs: 1_000, defaults: { policy } });
    const cache = manager.cache<string, number>("swr", { ttl: 500, staleWhileRevalidate: 2_000 });
    cache.set("k", 1);
    clock.advance(1_000);
    expect(cache.size).toBe(1);
    clock.advance(2_000);
    expect(cache.size).toBe(0);
    expect(cache.stats().evictions.ttl).toBe(1);
  });

  it("keeps stale entries for the longer of the two stale windows, then sweeps them", () => {
    const clock = new ManualClock();
    const manager = new CacheManager({ clock, sweepIntervalMs: 1_000, defaults: { policy } });
    const cache = manager.cache<string, number>("sie", {
      ttl: 500,
      staleWhileRevalidate: 1_000,
      staleIfError: 5_000,
    });
    cache.set("k", 1);
    clock.advance(5_000); // 4.5 s after expiry: past stale-while-revalidate, inside stale-if-error
    expect(cache.size).toBe(1);
    clock.advance(1_000);
    expect(cache.size).toBe(0);
    expect(cache.stats().evictions.ttl).toBe(1);
  });

  it("closes: clears caches, stops the sweep, refuses new caches and writes; is idempotent", async () => {
    const clock = new ManualClock();
    const manager = new CacheManager({ clock, defaults: { policy } });
    const cache = manager.cache<string, number>("c");
    cache.set("k", 1);
    await manager.close();
    await manager.close();
    expect(cache.size).toBe(0);
    expect(clock.pendingTimers).toBe(0);
    expect(() => manager.cache("d")).toThrow(
      expect.objectContaining({ code: "ERR_CLOSED" }) as Error,
    );
    expect(() => cache.set("k", 2)).toThrow(
      expect.objectContaining({ code: "ERR_CLOSED" }) as Error,
    );
  });

  it("works with await using", async () => {
    let cache;
    {
      await using manager = new CacheManager({ sweepIntervalMs: 0, defaults: { policy } });
      cache = manager.cache<string, number>("scoped");
      cache.set("k", 1);
    }
    expect(cache.size).toBe(0);
  });
});
