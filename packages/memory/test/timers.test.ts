import { describe, expect, it } from "vitest";
import { ManualClock, TimeoutError } from "@perflayer/core";
import { MemoryOptimizer, ObjectPool } from "@perflayer/memory";
import type { ReclaimReport } from "@perflayer/memory";

const THIRTY_DAYS = 30 * 86_400_000;
const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
const limit = { bytes: 4 * 2 ** 30, source: "v8-heap-limit" as const };

function objects(options: Partial<ConstructorParameters<typeof ObjectPool<object>>[0]> = {}) {
  const clock = new ManualClock();
  const pool = new ObjectPool<object>({ name: "objects", create: () => ({}), clock, ...options });
  return { clock, pool };
}

describe("30-day timeouts and intervals, on the manual clock", () => {
  it("samples memory every 30 days with sampleIntervalMs of 30 days", () => {
    const clock = new ManualClock();
    let samples = 0;
    const memory = new MemoryOptimizer({
      clock,
      limit,
      observeGc: false,
      sampleIntervalMs: THIRTY_DAYS,
      sampler: () => (samples++, { heapUsed: 0, external: 0, rss: 0 }),
    });
    clock.advance(THIRTY_DAYS - 1);
    expect(samples).toBe(0);
    clock.advance(1);
    expect(samples).toBe(1);
    clock.advance(THIRTY_DAYS);
    expect(samples).toBe(2);
    void memory.close();
  });

  it("time-boxes a hanging reclaimer at a 30-day reclaimTimeoutMs", async () => {
    const clock = new ManualClock();
    const memory = new MemoryOptimizer({
      clock,
      limit,
      observeGc: false,
      reclaimTimeoutMs: THIRTY_DAYS,
      sampleIntervalMs: 10 * THIRTY_DAYS, // no sampling ticks in between
    });
    memory.register({
      name: "hangs",
      estimatedBytes: () => 1_000,
      reclaim: () => new Promise<number>(() => undefined),
    });
    let report: ReclaimReport | undefined;
    const warned = new Promise((resolve) => process.once("warning", resolve));
    void memory.reclaim(500).then((r) => (report = r));
    clock.advance(THIRTY_DAYS - 1);
    await flush();
    expect(report).toBeUndefined();
    clock.advance(1);
    await flush();
    expect(report?.reclaimers).toEqual([
      { name: "hangs", heldBytes: 1_000, askedBytes: 500, bytes: 0, outcome: "timeout" },
    ]);
    await warned;
    await memory.close();
  });

  it("reclaims at most once per 30-day cooldownMs", async () => {
    const clock = new ManualClock();
    let reclaims = 0;
    const memory = new MemoryOptimizer({
      clock,
      limit,
      budget: 100,
      observeGc: false,
      leakDetection: false,
      cooldownMs: THIRTY_DAYS,
      levelHoldMs: 0,
      sampleIntervalMs: 10 * THIRTY_DAYS,
      sampler: () => ({ heapUsed: 99, external: 0, rss: 99 }),
    });
    memory.register({ name: "r", estimatedBytes: () => 50, reclaim: () => (reclaims++, 1) });
    await memory.sample();
    expect(reclaims).toBe(1);
    clock.advance(THIRTY_DAYS - 1);
    await memory.sample();
    expect(reclaims).toBe(1);
    clock.advance(1);
    await memory.sample();
    expect(reclaims).toBe(2);
    await memory.close();
  });

  it("times acquire() out after a 30-day acquireTimeoutMs or timeoutMs", async () => {
    for (const [poolOptions, acquireOptions] of [
      [{ acquireTimeoutMs: THIRTY_DAYS }, {}],
      [{}, { timeoutMs: THIRTY_DAYS }],
    ] as const) {
      const { clock, pool } = objects({ max: 1, idleTimeoutMs: 0, ...poolOptions });
      pool.take();
      const waiting = pool.acquire(acquireOptions);
      const outcome = waiting.then(
        () => "served",
        (error: unknown) => (error instanceof TimeoutError ? "timeout" : "other"),
      );
      clock.advance(THIRTY_DAYS - 1);
      expect(pool.waiting).toBe(1);
      clock.advance(1);
      expect(pool.waiting).toBe(0);
      expect(await outcome).toBe("timeout");
    }
  });

  it("shrinks objects idle for a whole 30-day idleTimeoutMs", () => {
    const { clock, pool } = objects({ idleTimeoutMs: THIRTY_DAYS });
    const a = pool.take();
    const b = pool.take();
    pool.release(a);
    pool.release(b);
    clock.advance(2 * THIRTY_DAYS - 1); // the first tick sees them idle; the second discards them
    expect(pool.idle).toBe(2);
    clock.advance(1);
    expect(pool.idle).toBe(0);
  });

  it("reports an object held for a 30-day holdWarningMs, not before", () => {
    const held: number[] = [];
    const { clock, pool } = objects({
      holdWarningMs: THIRTY_DAYS,
      onLongHold: (ms) => void held.push(ms),
    });
    pool.take();
    clock.advance(THIRTY_DAYS - 1);
    expect(held).toEqual([]);
    clock.advance(1);
    expect(held).toEqual([THIRTY_DAYS]);
  });
});

describe("timers a caller awaits keep the process alive; housekeeping timers do not", () => {
  it("refs acquire()'s wait and reclaim()'s time box, not sampling, idle shrinking or hold checks", () => {
    const { clock, pool } = objects({ max: 1, idleTimeoutMs: 1_000, holdWarningMs: 1_000 });
    expect(clock.refTimers).toBe(0);
    pool.take();
    void pool.acquire().catch(() => undefined);
    expect(clock.refTimers).toBe(1);

    const memoryClock = new ManualClock();
    const memory = new MemoryOptimizer({ clock: memoryClock, limit, observeGc: false });
    expect(memoryClock.refTimers).toBe(0);
    memory.register({
      name: "slow",
      estimatedBytes: () => 1,
      reclaim: () => new Promise<number>(() => undefined),
    });
    void memory.reclaim(1);
    expect(memoryClock.refTimers).toBe(1);
    void memory.close();
  });
});
