import { describe, expect, it } from "vitest";
import { ManualClock } from "@perflayer/core";
import { LeakDetector, MemoryOptimizer, theilSenSlope } from "@perflayer/memory";
import type { LeakStatus } from "@perflayer/memory";

const MiB = 2 ** 20;

describe("theilSenSlope", () => {
  it("finds the slope of a line and ignores a few wild outliers", () => {
    const xs = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
    expect(
      theilSenSlope(
        xs,
        xs.map((x) => 3 * x + 1),
      ),
    ).toBe(3);
    const noisy = xs.map((x) => 3 * x + 1);
    noisy[2] = 500;
    noisy[7] = -400;
    expect(theilSenSlope(xs, noisy)).toBeCloseTo(3, 0);
  });
});

describe("LeakDetector (synthetic floors)", () => {
  it("suspects a leak only after several consecutive rising windows", () => {
    const detector = new LeakDetector({
      windowSize: 5,
      confirmWindows: 3,
      minSlopeBytesPerMinute: MiB,
    });
    let suspectedAt = -1;
    for (let gc = 0; gc < 20; gc++) {
      detector.recordFloor(gc * 10_000, 50 * MiB + gc * 2 * MiB); // +2 MiB every 10 s = 12 MiB/min
      if (detector.suspected && suspectedAt === -1) suspectedAt = gc;
    }
    expect(suspectedAt).toBe(14); // the end of the third window
    expect(detector.status().slopeBytesPerMinute).toBeCloseTo(12 * MiB, -3);
  });

  it(
    "P0 «leak detection that does not cry wolf on a sawtooth»: raises no alarm on a sawtooth whose floor returns after each major GC",
    { tags: ["p0"] },
    () => {
      const detector = new LeakDetector({ windowSize: 5, confirmWindows: 2 });
      for (let gc = 0; gc < 60; gc++)
        detector.recordFloor(gc * 5_000, 50 * MiB + (gc % 3) * 3 * MiB);
      expect(detector.suspected).toBe(false);
    },
  );

  it("clears the suspicion when the floor flattens", () => {
    const detector = new LeakDetector({ windowSize: 4, confirmWindows: 2 });
    for (let gc = 0; gc < 8; gc++) detector.recordFloor(gc * 1_000, gc * 5 * MiB);
    expect(detector.suspected).toBe(true);
    for (let gc = 8; gc < 12; gc++) detector.recordFloor(gc * 1_000, 40 * MiB);
    expect(detector.suspected).toBe(false);
  });
});

describe("leak detection on the real heap (--expose-gc)", () => {
  async function run(workload: (round: number) => void): Promise<LeakStatus | undefined> {
    const clock = new ManualClock();
    const memory = new MemoryOptimizer({
      budget: { fraction: 1 },
      clock,
      leakDetection: { windowSize: 5, confirmWindows: 2, minSlopeBytesPerMinute: 4 * MiB },
    });
    for (let round = 0; round < 25; round++) {
      workload(round);
      clock.advance(1_000);
      globalThis.gc?.();
      await new Promise((resolve) => setTimeout(resolve, 5)); // let the GC observer deliver
    }
    const status = memory.status().leak;
    await memory.close();
    return status;
  }

  it("detects a retained array that keeps growing", async () => {
    const retained: string[][] = [];
    const status = await run(() =>
      retained.push(Array.from({ length: 20_000 }, (_, i) => `leak-${i}-${retained.length}`)),
    );
    expect(retained.length).toBe(25);
    expect(status?.floors.length).toBeGreaterThanOrEqual(10);
    expect(status?.suspected).toBe(true);
  });

  it("raises no alarm on a workload that allocates and drops (sawtooth)", async () => {
    let sink = 0;
    const status = await run(() => {
      const garbage = Array.from({ length: 20_000 }, (_, i) => `tmp-${i}`);
      sink += garbage.length;
    });
    expect(sink).toBe(25 * 20_000);
    expect(status?.suspected).toBe(false);
  });

  it("reports tracked objects still alive after a few major GCs", async () => {
    const clock = new ManualClock();
    const memory = new MemoryOptimizer({
      budget: { fraction: 1 },
      clock,
      leakDetection: { trackedAfterGcs: 2 },
    });
    const kept = { request: 1 };
    memory.track(kept, "request 1 context");
    memory.track({ request: 2 }, "request 2 context");
    for (let i = 0; i < 4; i++) {
      globalThis.gc?.();
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect(memory.status().leak?.survivors).toEqual(["request 1 context"]);
    expect(kept.request).toBe(1);
    await memory.close();
  });
});
