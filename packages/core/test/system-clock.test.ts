import { afterEach, describe, expect, it, vi } from "vitest";
import { MAX_TIMER_DELAY_MS, systemClock } from "@perflayer/core";

const DAY = 86_400_000;
const THIRTY_DAYS = 30 * DAY;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe("systemClock with delays past Node's 2³¹−1 ms", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  // vitest's fake timers reproduce Node's overflow: a delay above 2³¹−1 ms becomes 1 ms.
  const fake = (): void => {
    vi.useFakeTimers({
      toFake: ["setTimeout", "clearTimeout", "setInterval", "clearInterval", "Date"],
    });
  };

  it(
    "P0 «any delay works»: fires a 30-day timeout after 30 days, not after 1 ms",
    { tags: ["p0"] },
    () => {
      fake();
      let fired = 0;
      systemClock.setTimeout(() => fired++, THIRTY_DAYS);
      vi.advanceTimersByTime(1_000);
      expect(fired).toBe(0);
      vi.advanceTimersByTime(THIRTY_DAYS - 1_001);
      expect(fired).toBe(0);
      vi.advanceTimersByTime(1);
      expect(fired).toBe(1);
      vi.advanceTimersByTime(THIRTY_DAYS);
      expect(fired).toBe(1);
    },
  );

  it("runs a 30-day interval every 30 days, and stops when cancelled (also from its callback)", () => {
    fake();
    const at: number[] = [];
    const handle = systemClock.setInterval(() => {
      at.push(Date.now());
      if (at.length === 3) handle.cancel();
    }, THIRTY_DAYS);
    const start = Date.now();
    vi.advanceTimersByTime(5 * THIRTY_DAYS);
    expect(at.map((t) => (t - start) / DAY)).toEqual([30, 60, 90]);
  });

  it("cancels a chained timeout between its hops", () => {
    fake();
    let fired = 0;
    const handle = systemClock.setTimeout(() => fired++, THIRTY_DAYS);
    vi.advanceTimersByTime(MAX_TIMER_DELAY_MS + 1); // past the first hop
    handle.cancel();
    vi.advanceTimersByTime(THIRTY_DAYS);
    expect(fired).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("never fires an Infinity delay", () => {
    fake();
    let fired = 0;
    const handle = systemClock.setTimeout(() => fired++, Infinity);
    vi.advanceTimersByTime(10 * THIRTY_DAYS);
    expect(fired).toBe(0);
    handle.cancel();
    expect(vi.getTimerCount()).toBe(0);
  });

  it("does not fire a 30-day timeout or interval early on the real clock", async () => {
    let fired = 0;
    const timeout = systemClock.setTimeout(() => fired++, THIRTY_DAYS);
    const interval = systemClock.setInterval(() => fired++, THIRTY_DAYS);
    // Node's timer list fires in due order: an overflowed 1 ms timer would run before this one.
    await sleep(30);
    timeout.cancel();
    interval.cancel();
    expect(fired).toBe(0);
  });
});
