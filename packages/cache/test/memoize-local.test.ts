import { describe, expect, it } from "vitest";
import { PerflayerConfigError } from "@perflayer/core";
import { memoizeLocal } from "@perflayer/cache";

describe("memoizeLocal", () => {
  it("computes once per key, primitives by value and objects by identity", () => {
    let calls = 0;
    const lengthOf = memoizeLocal((key: string | readonly number[]) => {
      calls++;
      return key.length;
    });
    const list = [1, 2, 3];
    expect([lengthOf("ab"), lengthOf("ab"), lengthOf(list), lengthOf(list)]).toEqual([2, 2, 3, 3]);
    expect(lengthOf([1, 2, 3])).toBe(3);
    expect(calls).toBe(3);
  });

  it("keeps one store per memoized function", () => {
    let calls = 0;
    const make = (): ((key: string) => string) =>
      memoizeLocal((key: string) => {
        calls++;
        return key.toUpperCase();
      });
    const [a, b] = [make(), make()];
    expect([a("x"), a("x"), b("x")]).toEqual(["X", "X", "X"]);
    expect(calls).toBe(2);
  });

  it("keeps at most max results, dropping the least recently used", () => {
    let calls = 0;
    const double = memoizeLocal(
      (n: number) => {
        calls++;
        return n * 2;
      },
      { max: 2 },
    );
    double(1);
    double(2);
    double(1); // 1 is now the most recent
    double(3); // drops 2
    expect([double.has(1), double.has(2), double.has(3)]).toEqual([true, false, true]);
    expect(calls).toBe(3);
  });

  it("keeps a null result but not an undefined one, and forgets on demand", () => {
    let calls = 0;
    const find = memoizeLocal((id: string) => {
      calls++;
      if (id === "none") return null;
      return id === "known" ? { id } : undefined;
    });
    expect([find("none"), find("none")]).toEqual([null, null]);
    expect(calls).toBe(1);
    calls = 0;
    find("missing");
    find("missing");
    expect(calls).toBe(2);
    expect(find("known")).toBe(find("known"));
    expect(calls).toBe(3);
    expect(find.forget("known")).toBe(true);
    expect(find.forget("known")).toBe(false);
    find("known");
    expect(calls).toBe(4);
  });

  it("shares a promise per key and does not keep a rejection", async () => {
    let calls = 0;
    const load = memoizeLocal(async (id: string) => {
      calls++;
      await Promise.resolve();
      if (calls === 1) throw new Error("backend down");
      return id;
    });
    const [a, b] = [load("42"), load("42")];
    expect(a).toBe(b);
    await expect(a).rejects.toThrow("backend down");
    expect(load.has("42")).toBe(false);
    await expect(load("42")).resolves.toBe("42");
    expect(load("42")).toBe(load("42"));
    expect(calls).toBe(2);
  });

  it("refuses a bad max or an unknown option with a typed error naming it", () => {
    const id = (k: string): string => k;
    expect(() => memoizeLocal(id, { max: 0 })).toThrow(PerflayerConfigError);
    expect(() => memoizeLocal(id, { max: 0 })).toThrow(/`max`/);
    expect(() => memoizeLocal(id, { maxSize: 10 } as never)).toThrow(/Unknown option `maxSize`/);
    expect(() => memoizeLocal("id" as never)).toThrow(/`fn`/);
  });
});
