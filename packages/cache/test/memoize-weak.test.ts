import { describe, expect, it } from "vitest";
import { PerflayerConfigError } from "@perflayer/core";
import { memoizeWeak } from "@perflayer/cache";

describe("memoizeWeak", () => {
  it("computes once per key object, by identity", () => {
    let calls = 0;
    const sizeOf = memoizeWeak((list: readonly number[]) => {
      calls++;
      return list.length;
    });
    const a = [1, 2, 3];
    expect([sizeOf(a), sizeOf(a), sizeOf([1, 2, 3])]).toEqual([3, 3, 3]);
    expect(calls).toBe(2);
  });

  it("keeps undefined results and forgets on demand", () => {
    let calls = 0;
    const nothing = memoizeWeak((_: object) => {
      calls++;
      return undefined;
    });
    const key = {};
    nothing(key);
    nothing(key);
    expect(calls).toBe(1);
    expect(nothing.has(key)).toBe(true);
    expect(nothing.forget(key)).toBe(true);
    expect(nothing.forget(key)).toBe(false);
    nothing(key);
    expect(calls).toBe(2);
  });

  it("takes functions as keys", () => {
    const nameOf = memoizeWeak((f: () => void) => f.name.toUpperCase());
    function handler(): void {}
    expect(nameOf(handler)).toBe("HANDLER");
  });

  it("shares a promise per key and does not keep a rejection", async () => {
    let calls = 0;
    const userOf = memoizeWeak(async (request: { id: string }) => {
      calls++;
      await Promise.resolve();
      if (calls === 1) throw new Error("backend down");
      return request.id;
    });
    const request = { id: "42" };
    const [a, b] = [userOf(request), userOf(request)];
    expect(a).toBe(b);
    await expect(a).rejects.toThrow("backend down");
    expect(userOf.has(request)).toBe(false);
    await expect(userOf(request)).resolves.toBe("42");
    expect(userOf(request)).toBe(userOf(request));
    expect(calls).toBe(2);
  });

  it("refuses a primitive key with a typed error naming it", () => {
    const m = memoizeWeak((o: object) => o);
    const call = (): unknown => m("id" as never);
    expect(call).toThrow(PerflayerConfigError);
    expect(call).toThrow(
      'memoizeWeak(): Expected `key` to be an object or a function (a WeakMap key), got `"id"` (string). Memoize primitive keys with memoize(fn, caches.cache(name)) instead.',
    );
    const error = ((): unknown => {
      try {
        return m.has(null as never);
      } catch (thrown) {
        return thrown;
      }
    })();
    expect(error).toMatchObject({ code: "ERR_INVALID_ARGUMENT" });
    expect(() => m.has(null as never)).toThrow("memoizeWeak().has: Expected `key`");
    expect(() => memoizeWeak(3 as never)).toThrow("Expected `fn` to be a function");
  });
});
