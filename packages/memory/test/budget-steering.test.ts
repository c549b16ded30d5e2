import { describe, expect, it } from "vitest";
import { ManualClock } from "@perflayer/core";
import type { Reclaimer, Resizable } from "@perflayer/core";
import { CacheManager } from "@perflayer/cache";
import { MemoryOptimizer } from "@perflayer/memory";
import type { MemorySample } from "@perflayer/memory";

const MiB = 2 ** 20;
const limit = { bytes: 4096 * MiB, source: "v8-heap-limit" as const };

/** A steerable holding: it fills up to its capacity when asked to grow. */
function steerable(name: string, holds: number) {
  const r = {
    name,
    held: holds,
    capacity: Number.POSITIVE_INFINITY,
    resized: [] as number[],
    asked: [] as number[],
    estimatedBytes: () => r.held,
    reclaim: (target: number) => {
      r.asked.push(target);
      const freed = Math.min(target, r.held);
      r.held -= freed;
      return freed;
    },
    capacityBytes: () => r.capacity,
    resize: (capacity: number) => {
      r.capacity = capacity;
      r.resized.push(capacity);
      const freed = Math.max(0, r.held - capacity);
      r.held -= freed;
      return freed;
    },
    fill: () => void (r.held = r.capacity),
  };
  return r satisfies Reclaimer & Resizable;
}

/**
 * An optimizer on synthetic samples: the heap in use is `others` + what the holdings hold, and
 * each GC cycle the old generation grows to twice its floor before V8 collects.
 */
function steered(budget = 100 * MiB) {
  const clock = new ManualClock();
  let heap = 0;
  let external = 0;
  const memory = new MemoryOptimizer({
    budget,
    clock,
    limit,
    sampler: (): MemorySample => ({ heapUsed: heap, external, rss: 0 }),
    observeGc: false,
    levelHoldMs: 0,
    leakDetection: false,
    sampleIntervalMs: 3_600_000,
  });
  const holdings: { held: number }[] = [];
  let others = 10 * MiB;
  /** A major GC: the heap in use is the live set. */
  const gc = async (): Promise<void> => {
    heap = others + holdings.reduce((sum, h) => sum + h.held, 0);
    await memory.recordMajorGc();
    clock.advance(1_000);
  };
  /** One GC cycle: a major GC on the live set, then the heap grows to twice it. */
  const cycle = async (): Promise<void> => {
    await gc();
    heap *= 2;
    await memory.sample();
  };
  return {
    memory,
    clock,
    holdings,
    gc,
    cycle,
    setOthers: (bytes: number) => void (others = bytes),
    setExternal: (bytes: number) => void (external = bytes),
  };
}

/**
 * A cache registered with `steering`'s optimizer and filled to its capacity after each of five GC
 * cycles: 28.75 MiB, halfway from 27.5 towards the 30 MiB the budget leaves it.
 */
async function settledCache(steering: ReturnType<typeof steered>) {
  const cache = steerable("users", 5 * MiB);
  steering.holdings.push(cache);
  steering.memory.register(cache);
  for (let i = 0; i < 5; i++) {
    await steering.cycle();
    cache.fill();
  }
  return cache;
}

describe("budget-steered sizes", () => {
  it("grows a steered cache while there is room — halfway per major GC — towards what the budget leaves it", async () => {
    const { memory, holdings, cycle } = steered();
    const cache = steerable("users", 5 * MiB);
    holdings.push(cache);
    memory.register(cache);
    await cycle(); // before a cycle completed, V8's growth is taken as its largest (4)
    // 0.8 × 100 MiB ÷ 4 = 20 MiB of live heap, 10 of them not the cache's.
    expect(cache.capacity).toBe(10 * MiB);
    for (let i = 0; i < 4; i++) {
      cache.fill();
      await cycle();
    }
    // Growth measured at 2: 80 ÷ 2 = 40 MiB of live heap, 30 for the cache; halfway each GC.
    expect(cache.resized.map((c) => c / MiB)).toEqual([10, 20, 25, 27.5, 28.75]);
    expect(memory.level).toBe("elevated"); // the steady state of caches that would use more
  });

  it("ignores a shrink after a GC within a quarter of the allowance, and makes one beyond it", async () => {
    const steering = steered();
    const { cycle, setOthers } = steering;
    const cache = await settledCache(steering);
    expect(cache.capacity).toBe(28.75 * MiB);
    // 2 MiB more live elsewhere. Until the last three GCs' floors all show it, the cache grows
    // halfway (29.375, then 29.6875 MiB); the third would give it 28 MiB, a shrink of 1.6875 — noise.
    setOthers(12 * MiB);
    for (let i = 0; i < 3; i++) await cycle();
    expect(cache.resized.at(-1)).toBe(29.6875 * MiB);
    // 10 MiB more: 20 MiB for the cache, a shrink beyond a quarter, made at once.
    setOthers(20 * MiB);
    for (let i = 0; i < 3; i++) await cycle();
    expect(cache.capacity).toBe(20 * MiB);
  });

  it("moves on timer samples every 10 s when major GCs are rare", async () => {
    const steering = steered();
    const { memory, clock } = steering;
    const cache = await settledCache(steering);
    expect(cache.resized.at(-1)).toBe(28.75 * MiB);
    // No major GC from here on: the cache would still get 30 MiB.
    clock.advance(5_000);
    await memory.sample();
    expect(cache.resized.at(-1)).toBe(28.75 * MiB); // 6 s since the last GC's steering: not due
    clock.advance(5_000);
    await memory.sample();
    expect(cache.resized.at(-1)).toBe(29.375 * MiB); // halfway, as after a GC
    clock.advance(1_000);
    await memory.sample();
    expect(cache.resized.at(-1)).toBe(29.375 * MiB);
  });

  it("shrinks at once to what the budget leaves when other live memory grows, never below minBytes", async () => {
    const { memory, holdings, cycle, setOthers } = steered();
    const cache = steerable("users", 20 * MiB);
    const sessions = steerable("sessions", 10 * MiB);
    holdings.push(cache, sessions);
    memory.register(cache, { priority: "low" });
    memory.register(sessions, { steer: { minBytes: 8 * MiB } });
    for (let i = 0; i < 4; i++) {
      await cycle();
      cache.fill();
      sessions.fill();
    }
    expect(cache.held + sessions.held).toBeGreaterThan(20 * MiB);
    setOthers(38 * MiB); // live requests: 28 MiB more that no reclaimer holds
    for (let i = 0; i < 3; i++) await cycle(); // once the last three floors say so
    // 0.8 × 100 ÷ 2 = 40 MiB of live heap, 38 taken: the cache (low priority) gives all it has,
    // the sessions keep their floor.
    expect(cache.capacity).toBe(0);
    expect(cache.held).toBe(0);
    expect(sessions.capacity).toBe(8 * MiB);
  });

  it("halves at most per reading under a pressure that memory in use does not show yet", async () => {
    const steering = steered();
    const { memory, gc, setOthers } = steering;
    const cache = await settledCache(steering);
    expect(cache.held).toBe(28.75 * MiB);
    // 20 MiB more live elsewhere: 10 MiB for the cache, once the last three floors show it.
    setOthers(30 * MiB);
    await gc();
    await gc(); // the lowest floor has not moved: the allowance grows halfway, twice
    expect(cache.capacity).toBe(29.6875 * MiB);
    // 58.75 MiB live: a projected peak of 117.5 MiB (high), while 58.75 MiB are in use: half.
    await gc();
    expect(cache.capacity).toBe(29.6875 * MiB * 0.5);
    await memory.sample(); // and half again, down to the target at most
    expect(cache.capacity).toBe(10 * MiB);
  });

  it("makes room for external memory at its high (Buffers allocated and dropped per request)", async () => {
    const steering = steered();
    const cache = await settledCache(steering);
    expect(cache.capacity).toBe(28.75 * MiB);
    // 30 MiB of Buffers in flight at the next GC, none once they are dropped: counted at that high,
    // it leaves (80 − 30) ÷ 2 − 10 = 15 MiB for the cache.
    steering.setExternal(30 * MiB);
    await steering.gc();
    steering.setExternal(0);
    await steering.cycle();
    expect(cache.capacity).toBe(15 * MiB);
    expect(steering.memory.status().live?.externalLive).toBe(0);
  });

  it("spreads a shrink by priority and size, leaving each a share", async () => {
    const { memory, holdings, cycle, setOthers } = steered();
    const low = steerable("thumbnails", 12 * MiB);
    const a = steerable("users", 10 * MiB);
    const b = steerable("orders", 5 * MiB);
    holdings.push(low, a, b);
    memory.register(low, { priority: "low" });
    memory.register(a);
    memory.register(b);
    setOthers(3 * MiB); // 30 MiB live, 20 allowed by the prior growth of 4: 10 MiB too many
    await cycle();
    expect(low.capacity).toBe(2 * MiB);
    expect(a.capacity).toBe(10 * MiB);
    expect(b.capacity).toBe(5 * MiB);
  });

  it("leaves the size of a reclaimer registered with steer: false alone", async () => {
    const { memory, holdings, cycle } = steered();
    const cache = steerable("users", 50 * MiB);
    holdings.push(cache);
    memory.register(cache, { steer: false });
    await cycle();
    await cycle();
    expect(cache.resized).toEqual([]);
    expect(memory.status().reclaimers[0]?.capacityBytes).toBeUndefined();
  });

  it("steers a @perflayer/cache cache: its capacity follows the budget and sets beyond it evict", async () => {
    const caches = new CacheManager({ sweepIntervalMs: 0 });
    const users = caches.cache<number, string>("users", { maxSize: 1024 * MiB });
    const { memory, holdings, cycle } = steered();
    holdings.push({
      get held() {
        return users.estimatedBytes();
      },
    });
    memory.register(users, { priority: "low" });
    for (let i = 0; i < 5_000; i++) users.set(i, "u".repeat(4_000)); // about 20 MiB
    await cycle();
    expect(users.capacityBytes()).toBe(10 * MiB);
    expect(users.sizeBytes).toBeLessThanOrEqual(10 * MiB);
    for (let i = 5_000; i < 10_000; i++) users.set(i, "u".repeat(4_000));
    expect(users.sizeBytes).toBeLessThanOrEqual(10 * MiB);
    expect(users.stats().evictions.pressure).toBeGreaterThan(0);
    expect(users.stats().evictions.size).toBeGreaterThan(0);
    expect(memory.status().reclaimers[0]?.capacityBytes).toBe(10 * MiB);
    await caches.close();
  });
});
