import { describe, expect, it } from "vitest";
import { ManualClock } from "@perflayer/core";
import {
  LiveMemory,
  MemoryOptimizer,
  PressureTracker,
  DEFAULT_THRESHOLDS,
} from "@perflayer/memory";
import type { LevelChange, MemorySample } from "@perflayer/memory";

const MiB = 2 ** 20;
const limit = { bytes: 4096 * MiB, source: "v8-heap-limit" as const };

function sample(heapMiB: number, externalMiB = 0, youngMiB = 0): MemorySample {
  return {
    heapUsed: heapMiB * MiB,
    youngHeapUsed: youngMiB * MiB,
    external: externalMiB * MiB,
    rss: 0,
  };
}

/**
 * An optimizer with a 100 MiB budget on a manual clock, sampled only when the test asks, whose heap
 * in use (MiB) the test sets; every level change is recorded.
 */
function recordingOptimizer() {
  const clock = new ManualClock();
  let heap = 0;
  const memory = new MemoryOptimizer({
    budget: 100 * MiB,
    clock,
    limit,
    sampler: () => sample(heap),
    observeGc: false,
    leakDetection: false,
    sampleIntervalMs: 3_600_000,
  });
  const changes: LevelChange[] = [];
  memory.on("level", (change) => changes.push(change));
  return { clock, memory, changes, setHeap: (mib: number) => (heap = mib) };
}

describe("LiveMemory (the signal)", () => {
  it("reads the heap in use as live until the first major GC, then the floor after it", () => {
    const live = new LiveMemory();
    expect(live.read(0, sample(50), 0).heapLive).toBe(50 * MiB);
    live.afterMajorGc(100, sample(20), 0);
    const reading = live.read(200, sample(45), 0); // 25 MiB of garbage since the GC
    expect(reading.heapLive).toBe(20 * MiB);
    expect(reading.majorGcs).toBe(1);
  });

  it("learns V8's growth from each cycle's peak over its floor, and projects the next peak from the live heap", () => {
    const live = new LiveMemory();
    live.afterMajorGc(0, sample(20), 0);
    for (const heap of [30, 45, 60]) live.read(1_000, sample(heap), 0); // the heap grows to 3× its floor
    live.afterMajorGc(2_000, sample(20), 0);
    const reading = live.read(2_100, sample(22), 0);
    expect(reading.heapGrowth).toBe(3);
    expect(reading.heapSlack).toBe(0);
    expect(reading.projectedPeak).toBe(60 * MiB);
  });

  it("caps growth at V8's largest factor and keeps the rest as slack a small heap grows by", () => {
    const live = new LiveMemory();
    live.afterMajorGc(0, sample(10), 0);
    live.notePeak(50 * MiB); // after a minor GC: 5× a 10 MiB floor
    live.afterMajorGc(1_000, sample(10), 0);
    const reading = live.read(1_100, sample(12), 0);
    expect(reading.heapGrowth).toBe(4);
    expect(reading.heapSlack).toBe(10 * MiB);
    expect(reading.projectedPeak).toBe(50 * MiB);
  });

  it("adds external memory's high and half the young generation's, and counts external churn out of the live set", () => {
    const live = new LiveMemory();
    live.afterMajorGc(0, sample(20, 5, 1), 0);
    live.read(500, sample(30, 60, 12), 0); // 55 MiB of Buffers dropped per request, awaiting a GC
    live.read(900, sample(35, 5, 4), 0);
    const reading = live.read(1_000, sample(36, 30, 2), 0);
    expect(reading.externalLive).toBe(5 * MiB);
    expect(reading.externalPeak).toBe(60 * MiB);
    expect(reading.youngPeak).toBe(12 * MiB);
    // The live heap is the old generation's floor: 19 MiB (20 less 1 young). Before a cycle
    // completes, growth is what this cycle showed so far: from 19 MiB to 34 MiB (36 less 2 young).
    expect(reading.heapLive).toBe(19 * MiB);
    expect(reading.heapGrowth).toBeCloseTo(34 / 19, 10);
    // The young generation at half its high: at the old generation's peak (right after a minor GC)
    // it was just emptied; a sample holds both at their highs only for an instant.
    expect(reading.projectedPeak).toBeCloseTo((34 + 12 / 2 + 60) * MiB, 0);
  });

  it("carries the floor forward by what reclaimers report: freed memory counts as gone while it awaits collection", () => {
    const live = new LiveMemory();
    live.afterMajorGc(0, sample(60), 40 * MiB); // 40 of the 60 MiB are a cache's
    expect(live.read(100, sample(70), 45 * MiB).heapLive).toBe(65 * MiB); // it grew 5 MiB
    // It shed 30 MiB: garbage now, still on the heap until the next major GC.
    expect(live.read(200, sample(70), 15 * MiB).heapLive).toBe(35 * MiB);
  });

  it("takes the lowest of the last three floors: floating garbage does not move it, a rise all three show does", () => {
    const live = new LiveMemory();
    live.afterMajorGc(0, sample(20), 0);
    live.afterMajorGc(1_000, sample(35), 0); // kept what was allocated while V8 marked
    live.afterMajorGc(2_000, sample(21), 0);
    expect(live.read(2_100, sample(40), 0).heapLive).toBe(20 * MiB);
    live.afterMajorGc(3_000, sample(30), 0);
    live.afterMajorGc(4_000, sample(31), 0);
    expect(live.read(4_100, sample(40), 0).heapLive).toBe(21 * MiB);
    live.afterMajorGc(5_000, sample(30), 0);
    expect(live.read(5_100, sample(40), 0).heapLive).toBe(30 * MiB);
  });

  it("takes the floor from the old generation: the young one, refilled by the time it is read, is counted at its high", () => {
    const live = new LiveMemory();
    live.afterMajorGc(0, sample(30, 0, 12), 0); // read after the service allocated 12 MiB again
    const reading = live.read(100, sample(40, 0, 14), 0);
    expect(reading.heapLive).toBe(18 * MiB);
    expect(reading.youngPeak).toBe(14 * MiB);
  });

  it("keeps the old generation's peak of the running GC cycle, and hands the ended cycle's peak over at a major GC", () => {
    const live = new LiveMemory();
    expect(live.read(0, sample(30, 0, 5), 0).oldPeak).toBe(25 * MiB); // before any GC: so far
    live.afterMajorGc(100, sample(20), 0);
    expect(live.read(200, sample(20), 0).oldPeak).toBe(20 * MiB); // the new cycle's floor
    expect(live.read(300, sample(45, 0, 5), 0).oldPeak).toBe(40 * MiB); // old generation only
    live.notePeak(55 * MiB); // after a minor GC, between samples
    expect(live.read(400, sample(30), 0).oldPeak).toBe(55 * MiB);
    expect(live.endedCyclePeak).toBe(25 * MiB);
    live.afterMajorGc(500, sample(22), 0);
    expect(live.endedCyclePeak).toBe(55 * MiB);
    expect(live.read(600, sample(24), 0).oldPeak).toBe(24 * MiB); // reset at the GC
  });
});

describe("pressure levels with hysteresis in time", () => {
  it("takes a new level only once it held for holdMs; a sample back at the old level cancels it", () => {
    const tracker = new PressureTracker(DEFAULT_THRESHOLDS, 0.05, 5_000);
    expect(tracker.update(0, 0.75)).toBe("normal");
    expect(tracker.update(4_999, 0.75)).toBe("normal");
    expect(tracker.update(5_000, 0.75)).toBe("elevated");
    expect(tracker.update(6_000, 0.5)).toBe("elevated");
    expect(tracker.update(7_000, 0.68)).toBe("elevated"); // within the byte hysteresis: cancels
    expect(tracker.update(12_000, 0.5)).toBe("elevated");
    expect(tracker.update(17_000, 0.5)).toBe("normal");
    expect(tracker.update(17_001, 0.97)).toBe("normal");
    expect(tracker.update(22_001, 0.97)).toBe("critical");
  });

  it("leaves a level only once the lower one held for releaseMs; a sample back at the level restarts the wait", () => {
    const tracker = new PressureTracker(DEFAULT_THRESHOLDS, 0.05, 5_000, 30_000);
    tracker.update(0, 0.97);
    expect(tracker.update(5_000, 0.97)).toBe("critical"); // entered after holdMs
    expect(tracker.update(6_000, 0.8)).toBe("critical");
    expect(tracker.update(35_999, 0.8)).toBe("critical");
    expect(tracker.update(36_000, 0.8)).toBe("high"); // left after releaseMs
    expect(tracker.update(37_000, 0.5)).toBe("high");
    expect(tracker.update(60_000, 0.86)).toBe("high"); // back at high: the wait restarts
    expect(tracker.update(61_000, 0.5)).toBe("high");
    expect(tracker.update(90_999, 0.5)).toBe("high");
    expect(tracker.update(91_000, 0.5)).toBe("normal");
  });

  it("by default leaves a level 6× as slowly as it enters one: a projection that crosses critical for 6 s in every 20 s changes the level once, not every cycle", async () => {
    const { clock, memory, changes, setHeap } = recordingOptimizer();
    for (let second = 0; second < 300; second++) {
      // Before any major GC the projection is the heap in use: 97 % for 6 s, then 87 % for 14 s.
      setHeap(second % 20 < 6 ? 97 : 87);
      await memory.sample();
      clock.advance(1_000);
    }
    expect(changes.map((c) => `${c.from}→${c.to}`)).toEqual(["normal→critical"]);
    await memory.close();
  });

  it("does not flap on a GC sawtooth whose live set is steady (heap in use crossed 70 % twice a cycle)", async () => {
    const { clock, memory, changes, setHeap } = recordingOptimizer();
    // A steady live set of 18 MiB that V8 lets grow to 72 MiB between major GCs (4×): the old
    // signal crossed 70 % and back on every cycle.
    for (let cycle = 0; cycle < 30; cycle++) {
      setHeap(18);
      await memory.recordMajorGc();
      for (const h of [36, 54, 72]) {
        clock.advance(1_000);
        setHeap(h);
        await memory.sample();
      }
    }
    expect(changes.map((c) => `${c.from}→${c.to}`)).toEqual(["normal→elevated"]);
    expect(memory.status().live?.projectedPeak).toBe(72 * MiB);
    await memory.close();
  });

  it("enters a higher level on the projection only once the next major GC reads it too: one GC cycle over critical, when V8 collects less often than the hold, changes nothing", async () => {
    const { clock, memory, changes, setHeap } = recordingOptimizer();
    // The catalogue workload with a pool, traced: major GCs 7 s apart, the projection at one GC
    // 0.4 MiB over critical and under it at the next. Here a cache holding 3 MiB (a live set of
    // 23 MiB, 4× = 92 % of the budget) holds 4 MiB through one GC cycle (24 MiB: 96 %).
    let held = 3;
    memory.register({ name: "held", estimatedBytes: () => held * MiB, reclaim: () => 0 });
    const cycle = async (heldThisCycle: number): Promise<void> => {
      held = heldThisCycle;
      setHeap(20 + held);
      await memory.recordMajorGc();
      // The heap in use grows to 4× a floor of 23 MiB (92 MiB), never in use at critical (95 MiB):
      // only the projection reads it.
      const top = Math.min(4 * (20 + held), 92);
      for (let s = 1; s <= 6; s++) {
        clock.advance(1_000);
        setHeap(20 + held + ((top - 20 - held) * s) / 6);
        await memory.sample();
      }
      clock.advance(1_000);
    };
    for (const h of [3, 3, 3, 4, 3, 3]) await cycle(h);
    expect(changes.map((c) => c.to)).not.toContain("critical");
    expect(memory.level).toBe("high");
    // Two GC cycles in a row at 96 %: the second one's GC confirms it.
    await cycle(4);
    expect(memory.level).toBe("high");
    held = 4;
    setHeap(24);
    await memory.recordMajorGc();
    expect(memory.level).toBe("critical");
    expect(changes.map((c) => `${c.from}→${c.to}`)).toEqual(["normal→high", "high→critical"]);
    await memory.close();
  });

  it("enters a level at once (after the hold) when memory in use reaches it, without waiting for a major GC", () => {
    const tracker = new PressureTracker(DEFAULT_THRESHOLDS, 0.05, 5_000, 30_000);
    tracker.update(0, 0.5, { majorGc: true });
    tracker.update(1_000, 0.97, { majorGc: true, inUseRatio: 0.3 }); // a projection: waits for a GC
    expect(tracker.update(7_000, 0.97, { inUseRatio: 0.5 })).toBe("normal");
    tracker.update(8_000, 0.5, { majorGc: true });
    tracker.update(9_000, 0.97, { inUseRatio: 0.96 }); // memory in use at critical: a fact
    expect(tracker.update(14_000, 0.97, { inUseRatio: 0.96 })).toBe("critical");
  });
});
