import { describe, expect, it } from "vitest";
import { ManualClock, PerflayerConfigError } from "@perflayer/core";

describe("ManualClock", () => {
  it(
    "P0 «tests pass a ManualClock and never sleep»: fires due timers in deadline order and leaves later ones pending",
    { tags: ["p0"] },
    () => {
      const clock = new ManualClock();
      const fired: string[] = [];
      clock.setTimeout(() => fired.push(`c@${clock.now()}`), 30);
      clock.setTimeout(() => fired.push(`a@${clock.now()}`), 10);
      clock.setTimeout(() => fired.push(`b@${clock.now()}`), 20);
      clock.setTimeout(() => fired.push("late"), 100);
      clock.advance(50);
      expect(fired).toEqual(["a@10", "b@20", "c@30"]);
      expect(clock.now()).toBe(50);
      expect(clock.pendingTimers).toBe(1);
      expect(clock.nextDue()).toBe(100);
    },
  );

  it("fires timers with equal deadlines in scheduling order", () => {
    const clock = new ManualClock();
    const fired: number[] = [];
    for (let i = 0; i < 5; i++) clock.setTimeout(() => fired.push(i), 10);
    clock.advance(10);
    expect(fired).toEqual([0, 1, 2, 3, 4]);
  });

  it("fires timers scheduled by timers within the same advance, at their own due time", () => {
    const clock = new ManualClock();
    const fired: string[] = [];
    clock.setTimeout(() => {
      fired.push(`outer@${clock.now()}`);
      clock.setTimeout(() => {
        fired.push(`inner@${clock.now()}`);
        clock.setTimeout(() => fired.push(`innermost@${clock.now()}`), 0);
      }, 15);
    }, 10);
    clock.setTimeout(() => fired.push(`other@${clock.now()}`), 20);
    clock.advance(40);
    expect(fired).toEqual(["outer@10", "other@20", "inner@25", "innermost@25"]);
  });

  it("does not fire a timer scheduled beyond the advance window by a firing timer", () => {
    const clock = new ManualClock();
    const fired: number[] = [];
    clock.setTimeout(() => clock.setTimeout(() => fired.push(clock.now()), 50), 10);
    clock.advance(20);
    expect(fired).toEqual([]);
    clock.advance(40);
    expect(fired).toEqual([60]);
  });

  it("cancels timers, idempotently, including one cancelled by an earlier timer", () => {
    const clock = new ManualClock();
    const fired: string[] = [];
    const b = clock.setTimeout(() => fired.push("b"), 20);
    clock.setTimeout(() => b.cancel(), 10);
    const c = clock.setTimeout(() => fired.push("c"), 5);
    c.cancel();
    c.cancel();
    clock.advance(100);
    expect(fired).toEqual([]);
    expect(clock.pendingTimers).toBe(0);
  });

  it("repeats intervals until cancelled", () => {
    const clock = new ManualClock();
    const at: number[] = [];
    const handle = clock.setInterval(() => {
      at.push(clock.now());
      if (at.length === 3) handle.cancel();
    }, 25);
    clock.advance(200);
    expect(at).toEqual([25, 50, 75]);
  });

  it("maps manual time onto a wall clock", () => {
    const clock = new ManualClock({ startAt: 5, wallStart: 1_000 });
    clock.advance(10);
    expect(clock.now()).toBe(15);
    expect(clock.wallTime()).toBe(1_010);
  });

  it("lets promise chains run between timers with advanceAsync", async () => {
    const clock = new ManualClock();
    const log: string[] = [];
    const sleep = (ms: number): Promise<void> =>
      new Promise((resolve) => clock.setTimeout(resolve, ms));
    const job = (async () => {
      await sleep(10);
      log.push(`first@${clock.now()}`);
      await sleep(10);
      log.push(`second@${clock.now()}`);
    })();
    await clock.advanceAsync(25);
    await job;
    expect(log).toEqual(["first@10", "second@20"]);
  });

  it("rejects a negative advance with a config error", () => {
    const clock = new ManualClock();
    expect(() => clock.advance(-1)).toThrow(PerflayerConfigError);
    expect(() => clock.advance(-1)).toThrow(
      "Expected `ms` to be a finite number >= 0, got `-1` (number)",
    );
  });

  it("takes delays of any length and never fires an Infinity delay", () => {
    const clock = new ManualClock();
    const thirtyDays = 30 * 86_400_000;
    const fired: string[] = [];
    clock.setTimeout(() => fired.push(`timeout@${clock.now()}`), thirtyDays);
    clock.setInterval(() => fired.push(`interval@${clock.now()}`), thirtyDays);
    clock.setTimeout(() => fired.push("never"), Infinity);
    clock.advance(thirtyDays - 1);
    expect(fired).toEqual([]);
    clock.advance(thirtyDays + 1);
    expect(fired).toEqual([
      `timeout@${thirtyDays}`,
      `interval@${thirtyDays}`,
      `interval@${2 * thirtyDays}`,
    ]);
    expect(clock.runAll(10)).toBe(10); // the interval; the Infinity timer stays pending
    expect(fired).not.toContain("never");
    expect(Number.isFinite(clock.now())).toBe(true);
  });

  it("counts the pending timers that would keep a real process alive", () => {
    const clock = new ManualClock();
    const awaited = clock.setTimeout(() => undefined, 100, { ref: true });
    clock.setTimeout(() => undefined, 100);
    clock.setInterval(() => undefined, 50, { ref: true });
    expect(clock.pendingTimers).toBe(3);
    expect(clock.refTimers).toBe(2);
    awaited.cancel();
    expect(clock.refTimers).toBe(1);
  });
});
