import { describe, expect, it } from "vitest";
import { seededRandom as random } from "@perflayer/bench-gate";
import { RecordingInstrumentation } from "@perflayer/core";
import { CacheManager } from "@perflayer/cache";
import type { Cache, CachePolicy } from "@perflayer/cache";

function cacheOf<K extends string | number>(
  policy: CachePolicy,
  options: { max?: number; maxSize?: number; sizeOf?: (value: string) => number } = {},
): Cache<K, string> {
  return new CacheManager({ sweepIntervalMs: 0 }).cache<K, string>("policy", {
    ...options,
    policy,
  });
}

/** Load-through as a service does it: a miss is followed by a write. */
function request<K extends string | number>(cache: Cache<K, string>, key: K): boolean {
  if (cache.get(key) !== undefined) return true;
  cache.set(key, `value of ${key}`);
  return false;
}

describe("policy: tinylfu (W-TinyLFU)", () => {
  it(
    "P0 «frequency-aware admission»: keeps frequently read entries through a scan of keys read once, where LRU loses them all",
    { tags: ["p0"] },
    () => {
      const survivors = (policy: CachePolicy): number => {
        const cache = cacheOf<string>(policy, { max: 100 });
        for (let round = 0; round < 5; round++)
          for (let i = 0; i < 50; i++) request(cache, `hot:${i}`);
        for (let i = 0; i < 1_000; i++) cache.set(`scan:${i}`, "once");
        let kept = 0;
        for (let i = 0; i < 50; i++) if (cache.has(`hot:${i}`)) kept++;
        expect(cache.size).toBe(100);
        return kept;
      };
      expect(survivors("lru")).toBe(0);
      expect(survivors("tinylfu")).toBe(50);
    },
  );

  it("refuses a newcomer less popular than the entry it would displace, and admits it once it is requested more", () => {
    const cache = cacheOf<string>("tinylfu", { max: 10 });
    for (let round = 0; round < 3; round++)
      for (let i = 0; i < 10; i++) request(cache, `base:${i}`);
    const admittedAfter = (): number => {
      for (let round = 1; round <= 10; round++) {
        request(cache, "newcomer");
        cache.set(`filler:${round}`, "x"); // pushes the newcomer out of the window
        if (cache.has("newcomer")) return round;
      }
      return Number.POSITIVE_INFINITY;
    };
    const rounds = admittedAfter();
    expect(rounds).toBeGreaterThan(1);
    expect(rounds).toBeLessThanOrEqual(6);
    const stats = cache.stats().tinyLfu;
    expect(stats?.admissionsRejected).toBeGreaterThanOrEqual(rounds - 1);
    expect(stats?.admissionsAccepted).toBeGreaterThanOrEqual(1);
    expect(cache.size).toBe(10);
  });

  it("never evicts the entry just written", () => {
    const cache = cacheOf<number>("tinylfu", { max: 3 });
    const next = random(3);
    for (let i = 0; i < 2_000; i++) {
      const key = Math.floor(next() * 50);
      cache.set(key, `v${i}`);
      expect(cache.get(key)).toBe(`v${i}`);
      expect(cache.size).toBeLessThanOrEqual(3);
    }
  });

  it("keeps the byte bound with entries of different sizes, refusing newcomers less popular than what they would displace", () => {
    const cache = cacheOf<string>("tinylfu", { maxSize: 1_000, sizeOf: (v) => v.length });
    cache.set("popular", "p".repeat(300));
    for (let i = 0; i < 5; i++) cache.get("popular");
    for (let i = 0; i < 100; i++) {
      cache.set(`big:${i}`, "b".repeat(200 + (i % 7) * 50));
      expect(cache.sizeBytes).toBeLessThanOrEqual(1_000);
    }
    expect(cache.get("popular")).toHaveLength(300);
    expect(cache.stats().evictions.size).toBeGreaterThan(90);
    expect(cache.stats().tinyLfu?.admissionsRejected).toBeGreaterThan(90);
  });

  it("accounts a rewritten value's new size and keeps its place", () => {
    const cache = cacheOf<string>("tinylfu", { max: 10, maxSize: 100, sizeOf: (v) => v.length });
    cache.set("a", "x".repeat(10));
    cache.set("b", "x".repeat(10));
    cache.set("a", "y".repeat(40));
    expect(cache.sizeBytes).toBe(50);
    expect(cache.get("a")).toBe("y".repeat(40));
    // The window's share of 100 bytes is 1 byte: both entries went on to probation at once.
    expect(cache.stats().tinyLfu).toMatchObject({ windowEntries: 0, probationEntries: 2 });
  });

  it("widens the window for recency-biased requests and keeps it narrow for frequency-biased ones", () => {
    // Recency: a new key every fourth request; the others ask for a key introduced recently.
    const recency = cacheOf<number>("tinylfu", { max: 100 });
    let next = random(11);
    let newest = 0;
    for (let i = 0; i < 100_000; i++) {
      const back = Math.floor(-Math.log(1 - next()) * 250);
      request(recency, next() < 0.25 ? ++newest : Math.max(0, newest - back));
    }
    // Frequency: Zipf α 1 over 10k keys (inverse transform of the harmonic weights).
    const frequency = cacheOf<number>("tinylfu", { max: 100 });
    next = random(12);
    const weights = Array.from({ length: 10_000 }, (_, r) => 1 / (r + 1));
    const total = weights.reduce((a, b) => a + b, 0);
    const cumulative: number[] = [];
    weights.reduce((sum, w, r) => (cumulative[r] = sum + w), 0);
    for (let i = 0; i < 100_000; i++) {
      const u = next() * total;
      let lo = 0;
      let hi = cumulative.length - 1;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if ((cumulative[mid] as number) < u) lo = mid + 1;
        else hi = mid;
      }
      request(frequency, lo);
    }
    const wide = recency.stats().tinyLfu;
    const narrow = frequency.stats().tinyLfu;
    expect(wide?.windowRatio).toBeGreaterThan(0.5);
    expect(narrow?.windowRatio).toBeLessThan(0.25);
    expect(wide?.windowAdjustments).toBeGreaterThan(0);
    expect(wide?.windowEntries).toBeGreaterThan(narrow?.windowEntries ?? 100);
  });

  it("ages the frequency sketch every 10 × capacity recorded accesses", () => {
    const cache = cacheOf<number>("tinylfu", { max: 100 });
    for (let i = 0; i < 999; i++) request(cache, i % 150);
    expect(cache.stats().tinyLfu?.sketchResets).toBe(0);
    for (let i = 0; i < 2_000; i++) request(cache, i % 150);
    expect(cache.stats().tinyLfu?.sketchResets).toBeGreaterThanOrEqual(1);
  });

  it("sizes the sketch under 16 bytes per entry of capacity", () => {
    const cache = cacheOf<number>("tinylfu", { max: 10_000 });
    const bytes = cache.stats().tinyLfu?.sketchBytes ?? Number.POSITIVE_INFINITY;
    expect(bytes / 10_000).toBeLessThanOrEqual(16);
    expect(bytes).toBeGreaterThan(0);
  });

  it("reports admissions, sketch resets and the window's share as metrics", () => {
    const recording = new RecordingInstrumentation();
    const manager = new CacheManager({ instrumentation: recording, sweepIntervalMs: 0 });
    const cache = manager.cache<number, string>("tiny", { max: 10, policy: "tinylfu" });
    for (let i = 0; i < 500; i++) request(cache, i % 3 === 0 ? i % 7 : i);
    const stats = cache.stats();
    const labels = { cache: "tiny" };
    expect(stats.policy).toBe("tinylfu");
    expect(
      recording.value("perflayer_cache_admissions_total", { ...labels, outcome: "rejected" }),
    ).toBe(stats.tinyLfu?.admissionsRejected);
    expect(
      recording.value("perflayer_cache_admissions_total", { ...labels, outcome: "accepted" }),
    ).toBe(stats.tinyLfu?.admissionsAccepted);
    expect(stats.tinyLfu?.admissionsRejected).toBeGreaterThan(0);
    expect(recording.value("perflayer_cache_sketch_resets_total", labels)).toBe(
      stats.tinyLfu?.sketchResets,
    );
    expect(recording.value("perflayer_cache_window_ratio", labels)).toBe(
      stats.tinyLfu?.windowRatio,
    );
    // A refused candidate is also an eviction by size.
    expect(stats.evictions.size).toBeGreaterThanOrEqual(stats.tinyLfu?.admissionsRejected ?? 0);
  });

  it("adds no policy metrics or stats to LRU caches", () => {
    const recording = new RecordingInstrumentation();
    const manager = new CacheManager({ instrumentation: recording, sweepIntervalMs: 0 });
    const cache = manager.cache<number, string>("plain", { max: 10 });
    for (let i = 0; i < 50; i++) request(cache, i);
    expect(cache.stats().policy).toBe("lru");
    expect(cache.stats().tinyLfu).toBeUndefined();
    expect(recording.names().filter((n) => /admission|sketch|window/.test(n))).toEqual([]);
  });

  it("sheds entries read least under memory pressure: the read ones stay", () => {
    const cache = cacheOf<number>("tinylfu", { max: 100, maxSize: 10_000, sizeOf: () => 100 });
    for (let i = 0; i < 20; i++) cache.set(i, "v");
    for (let i = 0; i < 10; i++) cache.get(i);
    expect(cache.reclaim(500)).toBe(500);
    for (let i = 10; i < 15; i++) expect(cache.has(i)).toBe(false);
    for (let i = 0; i < 10; i++) expect(cache.has(i)).toBe(true);
    expect(cache.stats().evictions.pressure).toBe(5);
  });

  it("sheds the policy's next victims under memory pressure: frequently read entries outlive newer ones read never", () => {
    const shed = (policy: CachePolicy): number[] => {
      const cache = cacheOf<number>(policy, { max: 100, maxSize: 10_000, sizeOf: () => 100 });
      // Key 10 pushes the last hot key out of the one-entry admission window before the reads.
      for (let i = 0; i <= 10; i++) cache.set(i, i < 10 ? "hot" : "cold");
      for (let round = 0; round < 5; round++) for (let i = 0; i < 10; i++) cache.get(i);
      for (let i = 11; i < 30; i++) cache.set(i, "cold");
      expect(cache.reclaim(1_000)).toBe(1_000);
      expect(cache.stats().evictions.pressure).toBe(10);
      return Array.from({ length: 30 }, (_, i) => i).filter((i) => !cache.has(i));
    };
    expect(shed("lru")).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 10]);
    const tinyLfu = shed("tinylfu");
    expect(tinyLfu).toHaveLength(10);
    expect(tinyLfu.every((i) => i >= 10)).toBe(true);
  });

  it("stays frequency-aware after a memory budget resizes it far below its capacity", () => {
    const hotKeptThroughScan = (policy: CachePolicy): number => {
      const cache = cacheOf<number>(policy, { maxSize: 100_000, sizeOf: () => 100 });
      cache.resize(2_000); // 20 entries of a capacity of 1,000
      for (let i = 0; i < 10; i++) request(cache, i);
      for (let round = 0; round < 5; round++) for (let i = 0; i < 10; i++) request(cache, i);
      for (let i = 1_000; i < 1_300; i++) request(cache, i);
      expect(cache.size).toBeLessThanOrEqual(20);
      return Array.from({ length: 10 }, (_, i) => i).filter((i) => cache.has(i)).length;
    };
    expect(hotKeptThroughScan("lru")).toBe(0);
    expect(hotKeptThroughScan("tinylfu")).toBeGreaterThanOrEqual(9);
  });

  it("grows the sketch of a cache bounded by bytes only as it fills", () => {
    const cache = cacheOf<number>("tinylfu", { maxSize: 100_000, sizeOf: () => 10 });
    const before = cache.stats().tinyLfu?.sketchBytes ?? 0;
    for (let i = 0; i < 5_000; i++) cache.set(i, "v");
    expect(cache.size).toBe(5_000);
    expect(cache.stats().tinyLfu?.sketchBytes).toBeGreaterThan(before);
    for (let i = 5_000; i < 20_000; i++) cache.set(i, "v");
    expect(cache.sizeBytes).toBeLessThanOrEqual(100_000);
    expect(cache.size).toBe(10_000);
  });
});
