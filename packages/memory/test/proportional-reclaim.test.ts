import { describe, expect, it } from "vitest";
import { ManualClock, RecordingInstrumentation } from "@perflayer/core";
import type { Reclaimer } from "@perflayer/core";
import { BufferPool, MemoryOptimizer, planReclaim } from "@perflayer/memory";
import type { MemorySample } from "@perflayer/memory";

const MiB = 2 ** 20;
const limit = { bytes: 4096 * MiB, source: "v8-heap-limit" as const };

function holder(name: string, holds: number): Reclaimer & { held: number; asked: number[] } {
  const r = {
    name,
    held: holds,
    asked: [] as number[],
    estimatedBytes: () => r.held,
    reclaim: (target: number) => {
      r.asked.push(target);
      const freed = Math.min(target, r.held);
      r.held -= freed;
      return freed;
    },
  };
  return r;
}

/** An optimizer on a manual clock whose heap in use is set by the test; levels change at once. */
function optimizer(options: { cooldownMs?: number } = {}) {
  const clock = new ManualClock();
  let heap = 0;
  const memory = new MemoryOptimizer({
    budget: 100 * MiB,
    clock,
    limit,
    sampler: (): MemorySample => ({ heapUsed: heap * MiB, external: 0, rss: 0 }),
    observeGc: false,
    levelHoldMs: 0,
    cooldownMs: options.cooldownMs ?? 0,
    leakDetection: false,
    sampleIntervalMs: 3_600_000,
  });
  return { clock, memory, setHeap: (mib: number) => void (heap = mib) };
}

describe("planReclaim", () => {
  it("takes the lowest priority first and, within a priority, in proportion to size", () => {
    const asks = planReclaim(30, [
      { rank: 1, bytes: 100 },
      { rank: 0, bytes: 10 },
      { rank: 1, bytes: 50 },
      { rank: 2, bytes: 500 },
    ]);
    expect(asks).toEqual([(20 * 100) / 150, 10, (20 * 50) / 150, 0]);
  });

  it("is bounded by what the holdings hold", () => {
    expect(
      planReclaim(1_000, [
        { rank: 0, bytes: 10 },
        { rank: 2, bytes: 20 },
      ]),
    ).toEqual([10, 20]);
    expect(planReclaim(0, [{ rank: 0, bytes: 10 }])).toEqual([0]);
  });
});

describe("reclaims under pressure", () => {
  it("asks each reclaimer of a priority for its share of the overage, so none is emptied for a smaller overage", async () => {
    const { memory, setHeap } = optimizer();
    const sessions = holder("sessions", 40 * MiB);
    const thumbnails = holder("thumbnails", 10 * MiB);
    memory.register(sessions);
    memory.register(thumbnails);
    setHeap(90); // high: live overage 90 − 0.6 × 100 = 30 MiB
    const report = await memory.sample();
    expect(report?.targetBytes).toBe(30 * MiB);
    expect(sessions.asked).toEqual([24 * MiB]);
    expect(thumbnails.asked).toEqual([6 * MiB]);
    expect(thumbnails.held).toBe(4 * MiB);
    expect(report?.reclaimers.map((r) => [r.name, r.heldBytes, r.askedBytes])).toEqual([
      ["sessions", 40 * MiB, 24 * MiB],
      ["thumbnails", 10 * MiB, 6 * MiB],
    ]);
  });

  it("bounds the target by what the reclaimers report they can give, and does not ask those holding nothing", async () => {
    const { memory, setHeap } = optimizer();
    const small = holder("small", 5 * MiB);
    const empty = holder("empty", 0);
    memory.register(small);
    memory.register(empty);
    setHeap(99);
    const report = await memory.sample();
    expect(report?.reclaimableBytes).toBe(5 * MiB);
    expect(report?.targetBytes).toBe(5 * MiB);
    expect(report?.reclaimers.map((r) => r.name)).toEqual(["small"]);
    expect(empty.asked).toEqual([]);
  });

  it("does not ask a buffer pool whose buffers are all lent out, and reports them as in use, apart from what is reclaimable", async () => {
    const recording = new RecordingInstrumentation();
    const observed = new MemoryOptimizer({
      budget: 100 * MiB,
      clock: new ManualClock(),
      limit,
      sampler: () => ({ heapUsed: 99 * MiB, external: 0, rss: 0 }),
      observeGc: false,
      levelHoldMs: 0,
      leakDetection: false,
      instrumentation: recording,
    });
    const pool = new BufferPool({ name: "responses", sizeClasses: [4_096] });
    const lent = Array.from({ length: 8 }, () => pool.take(4_096));
    observed.register(pool, { priority: "low" });
    expect(await observed.sample()).toBeUndefined(); // nothing reclaimable: no reclaim at all
    const status = observed.status();
    expect(status.inUseBytes).toBe(8 * 4_096);
    expect(status.reclaimableBytes).toBe(0);
    recording.collect();
    expect(
      recording.value("perflayer_memory_reclaimer_bytes", {
        reclaimer: "responses",
        state: "in_use",
      }),
    ).toBe(8 * 4_096);
    for (const b of lent.slice(0, 3)) pool.release(b);
    expect(observed.status().reclaimableBytes).toBe(3 * 4_096);
    await observed.close();
  });

  it("reports the live memory no reclaimer can give back, and the peak to expect with every reclaimer empty: over the budget when the service's own memory makes it", async () => {
    const recording = new RecordingInstrumentation();
    let heap = 70 * MiB;
    const memory = new MemoryOptimizer({
      budget: 200 * MiB, // far from pressure: no reclaim changes what the cache holds
      clock: new ManualClock(),
      limit,
      sampler: () => ({ heapUsed: heap, external: 0, rss: 0 }),
      observeGc: false,
      levelHoldMs: 0,
      leakDetection: false,
      sampleIntervalMs: 3_600_000,
      instrumentation: recording,
    });
    const cache = holder("cache", 40 * MiB);
    memory.register(cache, { priority: "low" });
    await memory.recordMajorGc(); // a live set of 70 MiB, 40 of them the cache's
    heap = 91 * MiB; // V8 lets the heap grow to 1.3 × the live set before collecting
    await memory.sample();
    let status = memory.status();
    expect(status.live?.projectedPeak).toBe(91 * MiB);
    expect(status.unreclaimableBytes).toBe(30 * MiB);
    // 91 − 40 × 1.3: the cache emptied would save at most 52 MiB of peak.
    expect(status.unreclaimablePeakBytes).toBeCloseTo(39 * MiB, -3);
    recording.collect();
    expect(recording.value("perflayer_memory_used_bytes", { kind: "unreclaimable" })).toBe(
      30 * MiB,
    );
    // The service's own live memory grows to 160 MiB: with the cache empty the peak to expect is
    // 200 × 1.3 − 40 × 1.3 = 208 MiB, over the 200 MiB budget — no cache size can hold it (and
    // what a reclaim takes from the cache only makes it closer to that). The live set is the
    // lowest of the last three floors: three GC cycles show the rise.
    for (let i = 0; i < 3; i++) {
      heap = 200 * MiB;
      await memory.recordMajorGc();
      heap = 260 * MiB;
      await memory.sample();
    }
    status = memory.status();
    expect(status.unreclaimablePeakBytes).toBeGreaterThan(status.budgetBytes);
    expect(status.unreclaimableBytes).toBeGreaterThanOrEqual(160 * MiB);
    recording.collect();
    expect(
      recording.value("perflayer_memory_used_bytes", { kind: "unreclaimable_peak" }),
    ).toBeGreaterThan(200 * MiB);
    await memory.close();
  });

  it("lets V8 collect what a reclaim freed before reclaiming again: no second reclaim until a major GC", async () => {
    const { clock, memory, setHeap } = optimizer({ cooldownMs: 1_000 });
    const cache = holder("cache", 40 * MiB);
    memory.register(cache, { priority: "low" });
    setHeap(70);
    await memory.recordMajorGc(); // live 70 MiB, 40 of them the cache's
    await memory.recordMajorGc(); // a cycle that never grew: V8's growth here is 1
    cache.held = 60 * MiB; // the cache grew 20 MiB: live 90 MiB, high
    setHeap(90);
    const first = await memory.sample();
    expect(first?.targetBytes).toBe(30 * MiB); // down to 0.6 × 100
    expect(cache.held).toBe(30 * MiB);
    expect(memory.status().awaitingCollectionBytes).toBe(30 * MiB);
    // The heap in use stays at 90 MiB until V8 collects; the next reading's live set is down.
    expect(await memory.sample()).toBeUndefined();
    expect(memory.status().live?.heapLive).toBe(60 * MiB);
    cache.held = 60 * MiB; // and it grew back before any GC
    clock.advance(10_000);
    expect(await memory.sample()).toBeUndefined();
    expect(memory.level).toBe("high");
    expect(cache.asked).toHaveLength(1);
    const second = await memory.recordMajorGc(); // V8 collected: reclaims may resume
    expect(cache.asked).toHaveLength(2);
    expect(second?.freedBytes).toBeGreaterThan(0);
    expect(memory.status().awaitingCollectionBytes).toBe(second?.freedBytes);
    await memory.close();
  });

  it("does not reclaim when the heap is over budget only with garbage of this GC cycle", async () => {
    const { memory, setHeap } = optimizer();
    const cache = holder("cache", 40 * MiB);
    memory.register(cache);
    setHeap(50);
    await memory.recordMajorGc();
    await memory.recordMajorGc(); // growth 1
    setHeap(99); // 49 MiB of garbage: the level says so, the live set does not need a reclaim
    expect(await memory.sample()).toBeUndefined();
    expect(memory.level).toBe("critical");
    expect(cache.asked).toEqual([]);
    await memory.close();
  });
});
