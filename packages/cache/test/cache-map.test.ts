import { describe, expect, it } from "vitest";
import { ManualClock } from "@perflayer/core";
import { CacheManager, CacheMap } from "@perflayer/cache";
import type { CachePolicy } from "@perflayer/cache";
import { POLICIES } from "./policies.js";

// Four writes into three places: LRU drops the oldest key; W-TinyLFU refuses "c" — leaving its
// one-entry window, it is no more popular than "a", the main region's victim — and keeps "a".
const survivors: Record<CachePolicy, [string, number][]> = {
  lru: [
    ["d", 4],
    ["c", 3],
    ["b", 2],
  ],
  tinylfu: [
    ["d", 4],
    ["b", 2],
    ["a", 1],
  ],
};

describe.each(POLICIES)("CacheMap (%s)", (policy: CachePolicy) => {
  it("is a drop-in Map whose entries are bounded and expire", () => {
    const clock = new ManualClock();
    const manager = new CacheManager({ clock, sweepIntervalMs: 0, defaults: { policy } });
    const map: Map<string, number> = new CacheMap(
      manager.cache<string, number>("m", { max: 3, ttl: 1_000 }),
    );
    map.set("a", 1).set("b", 2).set("c", 3).set("d", 4);
    const kept = survivors[policy];
    expect(map.size).toBe(3);
    expect(map.has(policy === "lru" ? "a" : "c")).toBe(false);
    expect(map.get("d")).toBe(4);
    expect(new Map(map)).toEqual(new Map(kept));
    expect([...map.keys()].sort()).toEqual(kept.map(([k]) => k).sort());
    expect([...map.values()].sort()).toEqual(kept.map(([, v]) => v).sort());
    const seen: string[] = [];
    map.forEach((value, key) => seen.push(`${key}=${value}`));
    expect(seen.sort()).toEqual(kept.map(([k, v]) => `${k}=${v}`).sort());
    expect(Object.prototype.toString.call(map)).toBe("[object CacheMap]");
    clock.advance(1_001);
    expect(map.get("d")).toBeUndefined();
    expect([...map.entries()]).toEqual([]);
    expect(map.delete("zz")).toBe(false);
    map.clear();
    expect(map.size).toBe(0);
  });
});
