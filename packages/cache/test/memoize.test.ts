import { describe, expect, it } from "vitest";
import { CacheManager, memoize } from "@perflayer/cache";
import type { CachePolicy } from "@perflayer/cache";
import { POLICIES } from "./policies.js";

describe.each(POLICIES)("memoize (%s)", (policy: CachePolicy) => {
  it("caches a sync function by its argument", () => {
    const manager = new CacheManager({ sweepIntervalMs: 0, defaults: { policy } });
    let calls = 0;
    const square = memoize((n: number) => {
      calls++;
      return n * n;
    }, manager.cache("squares"));
    expect([square(3), square(3), square(4)]).toEqual([9, 9, 16]);
    expect(calls).toBe(2);
    expect(square.forget(3)).toBe(true);
    expect(square(3)).toBe(9);
    expect(calls).toBe(3);
  });

  it("keys several arguments without colliding with a string argument", () => {
    const manager = new CacheManager({ sweepIntervalMs: 0, defaults: { policy } });
    const join = memoize(
      (...parts: unknown[]) => parts.map(String).join("+"),
      manager.cache("join"),
    );
    expect(join(1, 2)).toBe("1+2");
    expect(join("[1,2]")).toBe("[1,2]");
    expect(join(1, 2)).toBe("1+2");
  });

  it("routes async functions through getOrLoad: concurrent calls share one call, failures are not cached", async () => {
    const manager = new CacheManager({ sweepIntervalMs: 0, defaults: { policy } });
    let calls = 0;
    const fetchUser = memoize(async (id: string) => {
      calls++;
      await Promise.resolve();
      if (id === "bad") throw new Error("no such user");
      return { id };
    }, manager.cache("users"));
    const [a, b] = await Promise.all([fetchUser("1"), fetchUser("1")]);
    expect(a).toBe(b);
    expect(calls).toBe(1);
    await expect(fetchUser("bad")).rejects.toThrow("no such user");
    await expect(fetchUser("bad")).rejects.toThrow("no such user");
    expect(calls).toBe(3);
  });

  it("detects a plain function returning promises on its first call", async () => {
    const manager = new CacheManager({ sweepIntervalMs: 0, defaults: { policy } });
    let calls = 0;
    const load = memoize((id: string) => {
      calls++;
      return Promise.resolve(id.toUpperCase());
    }, manager.cache("upper"));
    const first = load("a");
    const second = load("a");
    expect(await Promise.all([first, second])).toEqual(["A", "A"]);
    expect(calls).toBe(1);
  });

  it("uses a custom key function", () => {
    const manager = new CacheManager({ sweepIntervalMs: 0, defaults: { policy } });
    let calls = 0;
    const area = memoize(
      (shape: { w: number; h: number; label: string }) => {
        calls++;
        return shape.w * shape.h;
      },
      manager.cache<string, number>("area"),
      { key: (s) => `${s.w}x${s.h}` },
    );
    area({ w: 2, h: 3, label: "a" });
    area({ w: 2, h: 3, label: "b" });
    expect(calls).toBe(1);
  });
});
