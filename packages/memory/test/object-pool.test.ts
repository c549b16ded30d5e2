import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  AbortError,
  ManualClock,
  OverloadError,
  PerflayerConfigError,
  PerflayerError,
  RecordingInstrumentation,
  TimeoutError,
} from "@perflayer/core";
import { ObjectPool } from "@perflayer/memory";

interface Conn {
  id: number;
  dirty: boolean;
  healthy: boolean;
}

function pool(options: Partial<ConstructorParameters<typeof ObjectPool<Conn>>[0]> = {}) {
  let next = 0;
  const destroyed: number[] = [];
  const clock = new ManualClock();
  const p = new ObjectPool<Conn>({
    name: "conns",
    create: () => ({ id: next++, dirty: false, healthy: true }),
    reset: (c) => void (c.dirty = false),
    destroy: (c) => void destroyed.push(c.id),
    max: 3,
    clock,
    ...options,
  });
  return { p, clock, destroyed, created: () => next };
}

describe("ObjectPool", () => {
  it("reuses released objects after resetting them", () => {
    const { p, created } = pool();
    const a = p.take();
    a.dirty = true;
    p.release(a);
    const b = p.take();
    expect(b).toBe(a);
    expect(b.dirty).toBe(false);
    expect(created()).toBe(1);
    expect([p.idle, p.inUse]).toEqual([0, 1]);
  });

  it("throws OverloadError from take() at max, and acquire() waits FIFO for a release", async () => {
    const { p } = pool();
    const held = [p.take(), p.take(), p.take()];
    expect(() => p.take()).toThrow(OverloadError);
    const order: number[] = [];
    const first = p.acquire().then((lease) => (order.push(1), lease));
    const second = p.acquire().then((lease) => (order.push(2), lease));
    expect(p.waiting).toBe(2);
    p.release(held[0] as Conn);
    p.release(held[1] as Conn);
    const [l1, l2] = await Promise.all([first, second]);
    expect(order).toEqual([1, 2]);
    expect(l1.value).toBe(held[0]);
    expect(l2.value).toBe(held[1]);
  });

  it("rejects an acquire that waits past its timeout, and one whose signal aborts", async () => {
    const { p, clock } = pool({ acquireTimeoutMs: 500 });
    for (let i = 0; i < 3; i++) p.take();
    const timed = p.acquire();
    const controller = new AbortController();
    const aborted = p.acquire({ signal: controller.signal });
    controller.abort();
    await expect(aborted).rejects.toBeInstanceOf(AbortError);
    clock.advance(500);
    await expect(timed).rejects.toBeInstanceOf(TimeoutError);
    expect(p.waiting).toBe(0);
  });

  it("releases a lease with `using` at the end of the scope, exactly once", async () => {
    const { p } = pool();
    {
      using lease = await p.acquire();
      expect(p.inUse).toBe(1);
      expect(lease.value.id).toBe(0);
    }
    expect(p.inUse).toBe(0);
    const lease = await p.acquire();
    lease.release();
    expect(() => lease.release()).toThrow("this lease was already released");
    lease[Symbol.dispose](); // after release(): a no-op
  });

  it("makes double and foreign releases errors", () => {
    const { p } = pool();
    const a = p.take();
    p.release(a);
    expect(() => p.release(a)).toThrow(PerflayerError);
    expect(() => p.release(a)).toThrow("released twice, or taken from another pool");
    expect(() => p.release({ id: 99, dirty: false, healthy: true })).toThrow(
      expect.objectContaining({ code: "ERR_POOL_RELEASE" }) as Error,
    );
  });

  it("validates idle objects on borrow and discards those that fail, and objects whose reset throws", () => {
    const { p, destroyed } = pool({
      validate: (c) => c.healthy,
      reset: (c) => {
        if (c.dirty) throw new Error("cannot clean");
      },
    });
    const a = p.take();
    p.release(a);
    a.healthy = false;
    const b = p.take();
    expect(b).not.toBe(a);
    expect(destroyed).toEqual([a.id]);
    b.dirty = true;
    p.release(b);
    expect(destroyed).toEqual([a.id, b.id]);
    expect(p.idle).toBe(0);
  });

  it("shrinks idle objects above min that stayed unused for a whole idle period", () => {
    const { p, clock, destroyed } = pool({ min: 1, max: 5, idleTimeoutMs: 1_000 });
    const all = [p.take(), p.take(), p.take(), p.take()];
    for (const c of all) p.release(c);
    clock.advance(1_000); // the low-water mark starts at 0: nothing stayed idle a whole period yet
    expect(p.idle).toBe(4);
    p.release(p.take()); // one object used during the period
    clock.advance(1_000);
    expect(p.idle).toBe(1);
    expect(destroyed).toHaveLength(3);
  });

  it("sheds idle objects under pressure as a Reclaimer, even below min", () => {
    const { p } = pool({ min: 2, max: 10, sizeOf: () => 1_000 });
    const all = Array.from({ length: 7 }, () => p.take());
    expect(p.estimatedBytes()).toBe(0); // lent out: nothing to give back
    expect(p.inUseBytes()).toBe(7_000);
    for (const c of all.slice(1)) p.release(c);
    expect(p.estimatedBytes()).toBe(6_000);
    expect(p.inUseBytes()).toBe(1_000);
    expect(p.reclaim(4_500)).toBe(5_000);
    expect(p.idle).toBe(1);
  });

  it("reports objects held past holdWarningMs, once each", () => {
    const held: number[] = [];
    const { p, clock } = pool({ holdWarningMs: 1_000, onLongHold: (ms) => held.push(ms) });
    p.take();
    clock.advance(999);
    expect(held).toEqual([]);
    clock.advance(1_500);
    expect(held).toHaveLength(1);
    expect(held[0]).toBeGreaterThanOrEqual(1_000);
  });

  it("reports a borrowed object collected without release (FinalizationRegistry), freeing its slot", async () => {
    const unreleased: number[] = [];
    const { p } = pool({ trackUnreleased: true, onUnreleased: () => unreleased.push(1), max: 1 });
    (() => {
      p.take(); // dropped on the floor
    })();
    for (let i = 0; i < 20 && unreleased.length === 0; i++) {
      globalThis.gc?.();
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(unreleased).toEqual([1]);
    expect(p.inUse).toBe(0);
    expect(() => p.take()).not.toThrow();
  });

  it("reports idle and in-use objects through instrumentation", () => {
    const recording = new RecordingInstrumentation();
    const { p } = pool({ instrumentation: recording });
    const a = p.take();
    p.take();
    p.release(a);
    expect(recording.value("perflayer_memory_pool_objects", { pool: "conns", state: "idle" })).toBe(
      1,
    );
    expect(
      recording.value("perflayer_memory_pool_objects", { pool: "conns", state: "in_use" }),
    ).toBe(1);
  });

  it("rejects bad options and closes: waiters rejected, idle discarded", async () => {
    expect(() => new ObjectPool({ name: "x", create: 5 as never })).toThrow(
      "Expected `create` to be a function",
    );
    expect(() => new ObjectPool({ name: "x", create: () => ({}), max: 0 })).toThrow(
      "Expected `max` to be an integer >= 1",
    );
    expect(
      () =>
        new ObjectPool({ name: "x", create: () => ({}), holdWarningMs: 5, trackUnreleased: true }),
    ).toThrow("use one of them");
    const { p, destroyed } = pool({ max: 1 });
    const a = p.take();
    const waiting = p.acquire();
    await p.close();
    await expect(waiting).rejects.toMatchObject({ code: "ERR_CLOSED" });
    p.release(a);
    expect(destroyed).toEqual([a.id]);
  });

  it("never exceeds max and settles every acquire exactly once under random interleavings (property)", async () => {
    type Step =
      | { kind: "acquire"; abort: boolean }
      | { kind: "release"; index: number }
      | { kind: "tick"; ms: number };
    const step: fc.Arbitrary<Step> = fc.oneof(
      fc.record({ kind: fc.constant("acquire" as const), abort: fc.boolean() }),
      fc.record({ kind: fc.constant("release" as const), index: fc.nat(10) }),
      fc.record({ kind: fc.constant("tick" as const), ms: fc.integer({ min: 0, max: 300 }) }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(step, { maxLength: 60 }),
        fc.integer({ min: 1, max: 4 }),
        async (steps, max) => {
          const clock = new ManualClock();
          let created = 0;
          const p = new ObjectPool({
            name: "prop",
            create: () => ({ n: created++ }),
            max,
            clock,
            acquireTimeoutMs: 200,
            idleTimeoutMs: 0,
          });
          const leases: { release(): void }[] = [];
          const settled: number[] = [];
          const pending: Promise<void>[] = [];
          for (const s of steps) {
            if (s.kind === "acquire") {
              const controller = new AbortController();
              const id = pending.length;
              settled.push(0);
              pending.push(
                p.acquire({ signal: controller.signal }).then(
                  (lease) => {
                    settled[id] = (settled[id] ?? 0) + 1;
                    leases.push(lease);
                  },
                  () => void (settled[id] = (settled[id] ?? 0) + 1),
                ),
              );
              if (s.abort) controller.abort();
            } else if (s.kind === "release") {
              const lease = leases.splice(s.index % Math.max(1, leases.length), 1)[0];
              lease?.release();
            } else {
              await clock.advanceAsync(s.ms);
            }
            await Promise.resolve();
            if (p.inUse > max || p.inUse + p.idle > max) return false;
          }
          await clock.advanceAsync(1_000);
          for (const lease of leases.splice(0)) lease.release();
          await clock.advanceAsync(1_000);
          await Promise.all(pending);
          return settled.every((count) => count === 1) && p.inUse === 0 && created <= max;
        },
      ),
      { numRuns: 200 },
    );
  });

  it.each([
    [
      { name: 5 },
      'new ObjectPool(): Expected `name` to be a non-empty string, got `5` (number). Pass e.g. { name: "parsers" }.',
    ],
    [
      { trackUnreleased: "yes" },
      'ObjectPool "conns": Expected `trackUnreleased` to be a boolean, got `"yes"` (string).',
    ],
    [
      { acquireTimeoutMs: 0 },
      "Expected `acquireTimeoutMs` to be a finite number > 0, got `0` (number)",
    ],
    [{ idleTimeoutMs: -1 }, "Expected `idleTimeoutMs` to be a finite number >= 0"],
  ])("rejects bad options %j in the house formula", (options, message) => {
    expect(() => pool(options as never)).toThrow(PerflayerConfigError);
    expect(() => pool(options as never)).toThrow(message);
  });

  it.each([
    [{ timeout: 5 }, 'ObjectPool "conns".acquire(): Unknown option `timeout`'],
    [
      { timeoutMs: -1 },
      'ObjectPool "conns".acquire(): Expected `timeoutMs` to be a finite number > 0, got `-1` (number).',
    ],
    [{ timeoutMs: "1s" }, "Expected `timeoutMs` to be a finite number > 0"],
    [{ signal: {} }, "Expected `signal` to be an AbortSignal, got `[object]` (object)"],
  ])("rejects bad acquire() options %j in the house formula", (options, message) => {
    const { p } = pool();
    expect(() => p.acquire(options as never)).toThrow(PerflayerConfigError);
    expect(() => p.acquire(options as never)).toThrow(message);
    expect(() => p.reclaim(Number.NaN)).toThrow("Expected `targetBytes` to be a number >= 0");
  });

  it("rate-limits repeated warnings: one for 100 failing destroy() calls, then a summary with the count", async () => {
    const warnings: string[] = [];
    const onWarning = (w: Error): void => void warnings.push(w.message);
    process.on("warning", onWarning);
    try {
      const { p } = pool({
        max: 100,
        destroy: () => {
          throw new Error("socket already closed");
        },
        validate: () => false,
      });
      const taken = Array.from({ length: 100 }, () => p.take());
      for (const object of taken) p.release(object);
      for (let i = 0; i < 100; i++) p.release(p.take()); // each take discards one invalid idle object
      await p.close();
      await new Promise((resolve) => setImmediate(resolve));
      const destroyWarnings = warnings.filter((w) => w.includes("destroy() threw"));
      expect(destroyWarnings).toHaveLength(2);
      expect(destroyWarnings[1]).toMatch(/^\d+ more warnings like this were suppressed/);
    } finally {
      process.off("warning", onWarning);
    }
  });
});
