import { describe, expect, it } from "vitest";
import {
  ManualClock,
  PerflayerConfigError,
  RecordingInstrumentation,
  detectProfile,
} from "@perflayer/core";
import type { Reclaimer } from "@perflayer/core";
import { MemoryOptimizer, effectiveLimit, nextLevel, DEFAULT_THRESHOLDS } from "@perflayer/memory";
import type { LevelChange, MemorySample } from "@perflayer/memory";

const MiB = 2 ** 20;
const limit = { bytes: 4096 * MiB, source: "v8-heap-limit" as const };

/** An optimizer on synthetic samples and a manual clock; levels change at once unless `levelHoldMs`. */
function synthetic(budget = 100 * MiB, sampleIntervalMs = 3_600_000, levelHoldMs = 0) {
  const clock = new ManualClock();
  let used = 0;
  const sampler = (): MemorySample => ({ heapUsed: used, external: 0, rss: used + 30 * MiB });
  const recording = new RecordingInstrumentation();
  const memory = new MemoryOptimizer({
    budget,
    clock,
    sampler,
    limit,
    observeGc: false,
    cooldownMs: 1_000,
    levelHoldMs,
    instrumentation: recording,
    leakDetection: false,
    sampleIntervalMs,
  });
  const changes: LevelChange[] = [];
  memory.on("level", (change) => changes.push(change));
  return { clock, memory, changes, recording, setUsed: (bytes: number) => void (used = bytes) };
}

function reclaimer(name: string, holds: number, log: string[]): Reclaimer & { held: number } {
  const r = {
    name,
    held: holds,
    estimatedBytes: () => r.held,
    reclaim: (target: number) => {
      const freed = Math.min(target, r.held);
      r.held -= freed;
      log.push(`${name}:${freed}`);
      return freed;
    },
  };
  return r;
}

describe("MemoryOptimizer levels", () => {
  it("moves through levels as usage crosses the thresholds, with events and a gauge", async () => {
    const { memory, changes, recording, setUsed } = synthetic();
    for (const used of [50, 72, 90, 97, 50]) {
      setUsed(used * MiB);
      await memory.sample();
    }
    expect(changes.map((c) => `${c.from}→${c.to}`)).toEqual([
      "normal→elevated",
      "elevated→high",
      "high→critical",
      "critical→normal",
    ]);
    expect(recording.value("perflayer_memory_pressure_level")).toBe(0);
    expect(recording.value("perflayer_memory_used_bytes", { kind: "heap" })).toBe(50 * MiB);
    expect(recording.value("perflayer_memory_budget_bytes", { kind: "heap" })).toBe(100 * MiB);
  });

  it("does not flap when usage hovers around a threshold (hysteresis in bytes)", async () => {
    const { memory, changes, setUsed } = synthetic();
    for (let i = 0; i < 20; i++) {
      setUsed((i % 2 === 0 ? 70.5 : 68) * MiB); // within the 5 % band under `elevated`
      await memory.sample();
    }
    expect(changes).toHaveLength(1);
    expect(memory.level).toBe("elevated");
    setUsed(64 * MiB);
    await memory.sample();
    expect(memory.level).toBe("normal");
  });

  it("computes the next level as a pure function", () => {
    expect(nextLevel("normal", 0.69, DEFAULT_THRESHOLDS, 0.05)).toBe("normal");
    expect(nextLevel("normal", 0.9, DEFAULT_THRESHOLDS, 0.05)).toBe("high");
    expect(nextLevel("high", 0.82, DEFAULT_THRESHOLDS, 0.05)).toBe("high");
    expect(nextLevel("high", 0.79, DEFAULT_THRESHOLDS, 0.05)).toBe("elevated");
    expect(nextLevel("critical", 0.1, DEFAULT_THRESHOLDS, 0.05)).toBe("normal");
  });

  it("samples on an unref'd timer of the injected clock", async () => {
    const { clock, memory, setUsed } = synthetic(100 * MiB, 1_000);
    setUsed(99 * MiB);
    await clock.advanceAsync(1_000);
    expect(memory.level).toBe("critical");
    await memory.close();
    expect(clock.pendingTimers).toBe(0);
  });
});

describe("MemoryOptimizer reclaim", () => {
  it(
    "P0 «a byte target, in priority order»: asks reclaimers low priority first for a target proportional to the overshoot, and stops when met",
    { tags: ["p0"] },
    async () => {
      const { memory, setUsed } = synthetic();
      const log: string[] = [];
      memory.register(reclaimer("sessions", 50 * MiB, log), { priority: "high" });
      memory.register(reclaimer("thumbnails", 5 * MiB, log), { priority: "low" });
      memory.register(reclaimer("users", 50 * MiB, log));
      const reports: unknown[] = [];
      memory.on("reclaim", (r) => reports.push(r));
      setUsed(90 * MiB); // high: target = 90 − 0.6 × 100 = 30 MiB
      const report = await memory.sample();
      expect(report?.targetBytes).toBe(30 * MiB);
      expect(log).toEqual([`thumbnails:${5 * MiB}`, `users:${25 * MiB}`]);
      expect(report?.freedBytes).toBe(30 * MiB);
      expect(report?.reclaimers.map((r) => r.name)).toEqual(["thumbnails", "users"]);
      expect(reports).toHaveLength(1);
    },
  );

  it("reclaims at most once per cool-down", async () => {
    const { clock, memory, setUsed } = synthetic();
    const log: string[] = [];
    memory.register(reclaimer("big", 500 * MiB, log));
    setUsed(90 * MiB);
    expect(await memory.sample()).toBeDefined();
    expect(await memory.sample()).toBeUndefined();
    clock.advance(999);
    expect(await memory.sample()).toBeUndefined();
    clock.advance(1);
    expect(await memory.sample()).toBeDefined();
    expect(log).toHaveLength(2);
  });

  it("time-boxes a reclaimer that never resolves and one that throws: counted, skipped next time, others still asked", async () => {
    const clock = new ManualClock();
    const memory = new MemoryOptimizer({
      budget: 100 * MiB,
      clock,
      limit,
      observeGc: false,
      sampler: () => ({ heapUsed: 95 * MiB, external: 0, rss: 0 }),
      cooldownMs: 0,
      levelHoldMs: 0,
      reclaimTimeoutMs: 100,
      leakDetection: false,
    });
    const log: string[] = [];
    memory.register(
      {
        name: "hangs",
        estimatedBytes: () => 1,
        reclaim: () => new Promise<number>(() => undefined),
      },
      { priority: "low" },
    );
    memory.register(
      {
        name: "throws",
        estimatedBytes: () => 1,
        reclaim: () => {
          throw new Error("nope");
        },
      },
      { priority: "low" },
    );
    memory.register(reclaimer("works", 100 * MiB, log));
    const pending = memory.sample();
    await clock.advanceAsync(100);
    const first = await pending;
    expect(first?.reclaimers.map((r) => `${r.name}:${r.outcome}`)).toEqual([
      "hangs:timeout",
      "throws:error",
      "works:ok",
    ]);
    const second = await memory.sample();
    expect(second?.reclaimers.map((r) => `${r.name}:${r.outcome}`)).toEqual([
      "hangs:skipped",
      "throws:skipped",
      "works:ok",
    ]);
    await memory.close();
  });

  it("does not reclaim while elevated: steering holds that level, reclaims are for what it cannot hold", async () => {
    const { memory, setUsed } = synthetic();
    const log: string[] = [];
    memory.register(reclaimer("users", 50 * MiB, log));
    setUsed(80 * MiB);
    expect(await memory.sample()).toBeUndefined();
    expect(memory.level).toBe("elevated");
    expect(log).toEqual([]);
  });

  it("rejects something that is not a Reclaimer, and unknown priorities", () => {
    const { memory } = synthetic();
    expect(() => memory.register({ name: "x" } as never)).toThrow(
      "Expected `reclaimer` to be a Reclaimer",
    );
    expect(() =>
      memory.register(
        { name: "x", estimatedBytes: () => 0, reclaim: () => 0 },
        { priority: "urgent" as never },
      ),
    ).toThrow('one of "low", "normal", "high"');
    expect(() =>
      memory.register(
        { name: "x", estimatedBytes: () => 0, reclaim: () => 0 },
        { steer: "yes" as never },
      ),
    ).toThrow("Expected `steer` to be a boolean or { minBytes }");
  });
});

describe("MemoryOptimizer budget", () => {
  it(
    "P0 «without budget, it is half the effective limit»: 2 GiB of a 4 GiB heap, 256 MiB of a 512 MiB cgroup",
    { tags: ["p0"] },
    () => {
      const onHeap = new MemoryOptimizer({ limit, observeGc: false, clock: new ManualClock() });
      expect(onHeap.budgetBytes).toBe(2048 * MiB);
      const inContainer = new MemoryOptimizer({
        limit: effectiveLimit(512 * MiB, 4 * 2 ** 30),
        observeGc: false,
        clock: new ManualClock(),
      });
      expect(inContainer.budgetBytes).toBe(256 * MiB);
    },
  );

  it("keeps a 56 MiB heap at normal on a 4 GiB heap limit with the default budget, shedding nothing", async () => {
    const log: string[] = [];
    const memory = new MemoryOptimizer({
      limit,
      observeGc: false,
      leakDetection: false,
      clock: new ManualClock(),
      sampler: () => ({ heapUsed: 56 * MiB, external: 0, rss: 90 * MiB }),
    });
    memory.register(reclaimer("cache", 10 * MiB, log));
    expect(await memory.sample()).toBeUndefined();
    expect(memory.level).toBe("normal");
    expect(log).toEqual([]);
  });

  it("takes the budget of an environment profile it is given: 80 MiB locally, 120 MiB under CI (the project's test budgets)", () => {
    const local = new MemoryOptimizer({
      profile: detectProfile({}),
      limit,
      observeGc: false,
      clock: new ManualClock(),
    });
    const ci = new MemoryOptimizer({
      profile: detectProfile({ CI: "true" }),
      limit,
      observeGc: false,
      clock: new ManualClock(),
    });
    expect(local.budgetBytes).toBe(80 * MiB);
    expect(ci.budgetBytes).toBe(120 * MiB);
  });

  it("takes a fraction of the effective limit", () => {
    const memory = new MemoryOptimizer({
      budget: { fraction: 0.25 },
      limit,
      observeGc: false,
      clock: new ManualClock(),
    });
    expect(memory.budgetBytes).toBe(1024 * MiB);
  });

  it.each([
    [0, "Expected `budget` to be a finite number > 0"],
    [-5, "Expected `budget` to be a finite number > 0"],
    [{ fraction: 0 }, "Expected `budget.fraction` to be a finite number > 0 and <= 1"],
    [{ fraction: 1.5 }, "Expected `budget.fraction` to be a finite number > 0 and <= 1"],
    [
      8192 * MiB,
      "Expected `budget` to be at most the effective limit (4294967296 bytes, from the v8-heap-limit)",
    ],
  ])("rejects budget %j with a config error", (budget, message) => {
    expect(
      () => new MemoryOptimizer({ budget, limit, observeGc: false, clock: new ManualClock() }),
    ).toThrow(PerflayerConfigError);
    expect(
      () => new MemoryOptimizer({ budget, limit, observeGc: false, clock: new ManualClock() }),
    ).toThrow(message);
  });

  it("reads UINT64_MAX from process.constrainedMemory() as no cgroup limit, and a real cgroup limit as the limit", () => {
    expect(effectiveLimit(2 ** 64, 4 * 2 ** 30)).toEqual({
      bytes: 4 * 2 ** 30,
      source: "v8-heap-limit",
    });
    expect(effectiveLimit(0, 4 * 2 ** 30)).toEqual({ bytes: 4 * 2 ** 30, source: "v8-heap-limit" });
    expect(effectiveLimit(512 * MiB, 4 * 2 ** 30)).toEqual({ bytes: 512 * MiB, source: "cgroup" });
    expect(effectiveLimit().bytes).toBeGreaterThan(0);
  });

  it("rejects bad thresholds", () => {
    expect(
      () =>
        new MemoryOptimizer({ thresholds: { elevated: 0.9, high: 0.8 }, limit, observeGc: false }),
    ).toThrow("elevated < high < critical");
  });
});
