import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { ManualClock, PerflayerConfigError, PerflayerError } from "@perflayer/core";
import { CacheManager } from "@perflayer/cache";
import type { CachePolicy } from "@perflayer/cache";
import { POLICIES } from "./policies.js";

describe("bounds (lru)", () => {
  it("keeps the byte total under maxSize, evicting least recently used first", () => {
    const manager = new CacheManager({ sweepIntervalMs: 0 });
    const cache = manager.cache<string, string>("bytes", {
      maxSize: 1_000,
      sizeOf: (v) => v.length,
    });
    cache.set("a", "x".repeat(400));
    cache.set("b", "x".repeat(400));
    cache.get("a"); // a is now more recent than b
    cache.set("c", "x".repeat(400));
    expect(cache.sizeBytes).toBeLessThanOrEqual(1_000);
    expect(cache.has("a")).toBe(true);
    expect(cache.has("b")).toBe(false);
    expect(cache.stats().evictions.size).toBe(1);
  });
});

describe.each(POLICIES)("bounds (%s)", (policy: CachePolicy) => {
  it("measures values with the default estimator when only maxSize is given", () => {
    const manager = new CacheManager({ sweepIntervalMs: 0, defaults: { policy } });
    const cache = manager.cache<string, Buffer>("buffers", { maxSize: 10_000 });
    for (let i = 0; i < 10; i++) cache.set(`b${i}`, Buffer.alloc(2_000));
    expect(cache.sizeBytes).toBeLessThanOrEqual(10_000);
    expect(cache.size).toBeLessThan(10);
    expect(cache.size).toBeGreaterThan(0);
  });

  it("throws ERR_ENTRY_TOO_LARGE on set of a value above maxEntrySize", () => {
    const manager = new CacheManager({ sweepIntervalMs: 0, defaults: { policy } });
    const cache = manager.cache<string, string>("small", {
      maxSize: 1_000,
      maxEntrySize: 100,
      sizeOf: (v) => v.length,
    });
    expect(() => cache.set("big", "x".repeat(101))).toThrow(PerflayerError);
    expect(() => cache.set("big", "x".repeat(101))).toThrow(
      /"big" is 101 bytes, above maxEntrySize \(100\)/,
    );
    expect(cache.has("big")).toBe(false);
  });

  it("returns an oversized loaded value to its caller but does not cache it", async () => {
    const manager = new CacheManager({ sweepIntervalMs: 0, defaults: { policy } });
    const cache = manager.cache<string, string>("loaded", {
      maxSize: 1_000,
      maxEntrySize: 10,
      sizeOf: (v) => v.length,
    });
    const warnings: string[] = [];
    const onWarning = (w: Error): void => void warnings.push(w.message);
    process.on("warning", onWarning);
    await expect(cache.getOrLoad("k", () => "x".repeat(50))).resolves.toHaveLength(50);
    await new Promise((resolve) => setImmediate(resolve));
    process.off("warning", onWarning);
    expect(cache.has("k")).toBe(false);
    expect(cache.stats().evictions.size).toBe(1);
    expect(warnings.some((w) => w.includes("exceeds maxEntrySize"))).toBe(true);
  });

  it("rejects a sizeOf that returns NaN with a config error naming the key", () => {
    const manager = new CacheManager({ sweepIntervalMs: 0, defaults: { policy } });
    const cache = manager.cache<string, string>("nan", {
      maxSize: 1_000,
      sizeOf: () => Number.NaN,
    });
    expect(() => cache.set("k", "v")).toThrow(PerflayerConfigError);
    expect(() => cache.set("k", "v")).toThrow(
      'Expected `sizeOf` to return a finite number >= 0 for "k", got NaN',
    );
  });

  it("rejects undefined values", () => {
    const manager = new CacheManager({ sweepIntervalMs: 0, defaults: { policy } });
    const cache = manager.cache<string, string | undefined>("undef");
    expect(() => cache.set("k", undefined)).toThrow(
      "Use delete(key) to remove an entry, or store null.",
    );
  });

  it("extends an entry's TTL on each read with updateAgeOnGet", () => {
    const clock = new ManualClock();
    const manager = new CacheManager({ clock, sweepIntervalMs: 0, defaults: { policy } });
    const cache = manager.cache<string, string>("aging", { ttl: 1_000, updateAgeOnGet: true });
    cache.set("k", "v");
    clock.advance(800);
    expect(cache.get("k")).toBe("v");
    clock.advance(800);
    expect(cache.get("k")).toBe("v");
    clock.advance(1_001);
    expect(cache.get("k")).toBeUndefined();
  });

  it("removes an expired entry on read and counts a ttl eviction", () => {
    const clock = new ManualClock();
    const manager = new CacheManager({ clock, sweepIntervalMs: 0, defaults: { policy } });
    const cache = manager.cache<string, string>("expiry", { ttl: 1_000 });
    cache.set("k", "v");
    cache.set("other", "w");
    clock.advance(1_001);
    expect(cache.size).toBe(2);
    expect(cache.get("k")).toBeUndefined();
    expect(cache.size).toBe(1);
    expect(cache.stats().evictions.ttl).toBe(1);
  });

  it("spreads TTLs with ttlJitter within [ttl × (1 − jitter), ttl]", () => {
    const clock = new ManualClock();
    const manager = new CacheManager({ clock, sweepIntervalMs: 0, defaults: { policy } });
    const cache = manager.cache<number, number>("jitter", {
      ttl: 10_000,
      ttlJitter: 0.5,
      max: 1_000,
    });
    for (let i = 0; i < 200; i++) cache.set(i, i);
    clock.advance(4_999);
    expect(cache.size).toBe(200);
    let alive = 0;
    for (let i = 0; i < 200; i++) if (cache.has(i)) alive++;
    expect(alive).toBe(200);
    clock.advance(2_500); // 7.5 s: roughly half have expired
    let survivors = 0;
    for (let i = 0; i < 200; i++) if (cache.has(i)) survivors++;
    expect(survivors).toBeGreaterThan(40);
    expect(survivors).toBeLessThan(160);
    clock.advance(2_502);
    for (let i = 0; i < 200; i++) expect(cache.has(i)).toBe(false);
  });

  it(
    "P0 «byte bounds»: holds the byte bound and returns live keys, against a reference model (property)",
    { tags: ["p0"] },
    () => {
      const maxSize = 200;
      type Op =
        | { kind: "set"; key: number; size: number }
        | { kind: "get"; key: number }
        | { kind: "advance"; ms: number }
        | { kind: "delete"; key: number };
      const op: fc.Arbitrary<Op> = fc.oneof(
        fc.record({
          kind: fc.constant("set" as const),
          key: fc.integer({ min: 0, max: 15 }),
          size: fc.integer({ min: 1, max: 80 }),
        }),
        fc.record({ kind: fc.constant("get" as const), key: fc.integer({ min: 0, max: 15 }) }),
        fc.record({ kind: fc.constant("delete" as const), key: fc.integer({ min: 0, max: 15 }) }),
        fc.record({ kind: fc.constant("advance" as const), ms: fc.integer({ min: 0, max: 400 }) }),
      );
      fc.assert(
        fc.property(fc.array(op, { maxLength: 200 }), (ops) => {
          const clock = new ManualClock();
          const manager = new CacheManager({ clock, sweepIntervalMs: 0, defaults: { policy } });
          const cache = manager.cache<number, string>("model", {
            maxSize,
            ttl: 1_000,
            sizeOf: (v) => v.length,
          });
          // Reference model: what was written, when; eviction may only drop entries, never invent them.
          const model = new Map<number, { value: string; at: number }>();
          let stamp = 0;
          for (const step of ops) {
            if (step.kind === "set") {
              const value = `${stamp++}:`.padEnd(step.size, "x").slice(0, step.size);
              cache.set(step.key, value);
              model.set(step.key, { value, at: clock.now() });
            } else if (step.kind === "get") {
              const got = cache.get(step.key);
              const expected = model.get(step.key);
              if (got !== undefined) {
                // Anything returned must be the last value written, and still within its TTL.
                if (expected === undefined || got !== expected.value) return false;
                if (clock.now() - expected.at > 1_000) return false;
              }
            } else if (step.kind === "delete") {
              cache.delete(step.key);
              model.delete(step.key);
            } else {
              clock.advance(step.ms);
            }
            if (cache.sizeBytes > maxSize) return false;
          }
          // LRU: a key written last, within its TTL, that fits alone, is returned (it is the most
          // recent). W-TinyLFU makes no such promise under a byte bound: a new entry larger than the
          // window's share competes for admission at once (as in Caffeine) and may be refused.
          const last = ops.findLast((o) => o.kind === "set");
          if (policy === "lru" && last !== undefined && last.kind === "set") {
            const entry = model.get(last.key);
            const lastIndex = ops.lastIndexOf(last);
            const untouched = ops
              .slice(lastIndex + 1)
              .every((o) => o.kind === "get" && o.key !== last.key);
            if (entry !== undefined && untouched && cache.get(last.key) !== entry.value)
              return false;
          }
          return true;
        }),
        { numRuns: 300 },
      );
    },
  );
});
