import { describe, expect, it } from "vitest";
import { ManualClock, TimeoutError } from "@perflayer/core";
import { CacheManager } from "@perflayer/cache";
import type { CachePolicy } from "@perflayer/cache";
import { POLICIES } from "./policies.js";

const THIRTY_DAYS = 30 * 86_400_000;
const never = (): Promise<string> => new Promise<string>(() => undefined);

describe.each(POLICIES)("cache timers (%s)", (policy: CachePolicy) => {
  it("sweeps every 30 days with sweepIntervalMs of 30 days", () => {
    const clock = new ManualClock();
    const manager = new CacheManager({ clock, sweepIntervalMs: THIRTY_DAYS, defaults: { policy } });
    const cache = manager.cache<string, string>("swept", { ttl: 1_000 });
    cache.set("k", "v");
    clock.advance(THIRTY_DAYS - 1);
    expect(cache.size).toBe(1); // expired, not yet swept
    clock.advance(1);
    expect(cache.size).toBe(0);
  });

  it("times a load out after a 30-day loadTimeoutMs, from the cache's options or the call's", async () => {
    const clock = new ManualClock();
    const manager = new CacheManager({ clock, sweepIntervalMs: 0, defaults: { policy } });
    const fromCache = manager.cache<string, string>("slow", { loadTimeoutMs: THIRTY_DAYS });
    const fromCall = manager.cache<string, string>("slow-call");
    const loads = [
      fromCache.getOrLoad("k", never),
      fromCall.getOrLoad("k", never, { loadTimeoutMs: THIRTY_DAYS }),
    ];
    const outcomes = Promise.allSettled(loads);
    clock.advance(THIRTY_DAYS - 1);
    expect(fromCache.stats().loadTimeouts + fromCall.stats().loadTimeouts).toBe(0);
    clock.advance(1);
    for (const outcome of await outcomes) {
      expect(outcome.status).toBe("rejected");
      expect((outcome as PromiseRejectedResult).reason).toBeInstanceOf(TimeoutError);
    }
  });

  it("keeps an entry with a 30-day ttl for 30 days", () => {
    const clock = new ManualClock();
    const manager = new CacheManager({ clock, sweepIntervalMs: 0, defaults: { policy } });
    const cache = manager.cache<string, string>("long", { ttl: THIRTY_DAYS });
    cache.set("k", "v");
    clock.advance(THIRTY_DAYS); // fresh through its whole ttl (lru-cache: stale once age > ttl)
    expect(cache.get("k")).toBe("v");
    clock.advance(1);
    expect(cache.get("k")).toBeUndefined();
  });

  it("rejects a bad loadTimeoutMs passed to getOrLoad in the house formula", async () => {
    const manager = new CacheManager({
      clock: new ManualClock(),
      sweepIntervalMs: 0,
      defaults: { policy },
    });
    await expect(
      manager.cache<string, string>("bad").getOrLoad("k", never, { loadTimeoutMs: -5 }),
    ).rejects.toThrow(
      'cache "bad".getOrLoad("k"): Expected `loadTimeoutMs` to be a finite number > 0, got `-5` (number). Pass e.g. { loadTimeoutMs: 2_000 }.',
    );
  });

  it("keeps the process alive for an awaited load's timeout, not for a background refresh or the sweep", async () => {
    const clock = new ManualClock();
    const manager = new CacheManager({ clock, sweepIntervalMs: 1_000, defaults: { policy } });
    const cache = manager.cache<string, string>("refs", {
      ttl: 100,
      staleWhileRevalidate: 10_000,
      loadTimeoutMs: 500,
    });
    expect(clock.refTimers).toBe(0);
    void cache.getOrLoad("awaited", never).catch(() => undefined);
    expect(clock.refTimers).toBe(1);
    cache.set("stale", "old");
    clock.advance(200);
    await expect(cache.getOrLoad("stale", never)).resolves.toBe("old"); // refresh in background
    expect(clock.pendingTimers).toBe(3); // sweep, awaited load's timeout, refresh's timeout
    expect(clock.refTimers).toBe(1);
  });
});
