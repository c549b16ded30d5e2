import { describe, expect, it } from "vitest";
import { ManualClock } from "@perflayer/core";
import { CacheManager, CacheMap } from "@perflayer/cache";

describe("CacheMap", () => {
  it("is a drop-in Map whose entries are bounded and expire", () => {
    const clock = new ManualClock();
    const manager = new CacheManager({ clock, sweepIntervalMs: 0 });
    const map: Map<string, number> = new CacheMap(
      manager.cache<string, number>("m", { max: 3, ttl: 1_000 }),
    );
    map.set("a", 1).set("b", 2).set("c", 3).set("d", 4);
    expect(map.size).toBe(3);
    expect(map.has("a")).toBe(false);
    expect(map.get("d")).toBe(4);
    expect(new Map(map)).toEqual(
      new Map([
        ["d", 4],
        ["c", 3],
        ["b", 2],
      ]),
    );
    expect([...map.keys()].sort()).toEqual(["b", "c", "d"]);
    expect([...map.values()].sort()).toEqual([2, 3, 4]);
    const seen: string[] = [];
    map.forEach((value, key) => seen.push(`${key}=${value}`));
    expect(seen.sort()).toEqual(["b=2", "c=3", "d=4"]);
    expect(Object.prototype.toString.call(map)).toBe("[object CacheMap]");
    clock.advance(1_001);
    expect(map.get("d")).toBeUndefined();
    expect([...map.entries()]).toEqual([]);
    expect(map.delete("zz")).toBe(false);
    map.clear();
    expect(map.size).toBe(0);
  });
});
