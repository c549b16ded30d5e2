import { describe, expect, it } from "vitest";
import { PerflayerConfigError, PerflayerError } from "@perflayer/core";
import { BufferPool } from "@perflayer/memory";

describe("BufferPool", () => {
  it("serves exact-length buffers from size classes and reuses released memory", () => {
    const pool = new BufferPool({ name: "io", sizeClasses: [1_024, 4_096] });
    const a = pool.take(3_000);
    expect(a.length).toBe(3_000);
    expect(a.buffer.byteLength).toBe(4_096);
    a.fill(7);
    pool.release(a);
    const b = pool.take(4_096);
    expect(b.buffer).toBe(a.buffer);
    expect(b.every((byte) => byte === 0)).toBe(true); // zeroed on release
    expect([pool.idle, pool.inUse]).toEqual([0, 1]);
  });

  it("keeps released bytes when zeroFill is off", () => {
    const pool = new BufferPool({ name: "raw", sizeClasses: [16], zeroFill: false });
    const a = pool.take(16);
    a.fill(9);
    pool.release(a);
    expect(pool.take(16)[0]).toBe(9);
  });

  it("allocates sizes above the largest class plainly, outside the pool", () => {
    const pool = new BufferPool({ name: "big", sizeClasses: [1_024] });
    const big = pool.take(10_000);
    expect(big.length).toBe(10_000);
    pool.release(big);
    expect(pool.idle).toBe(0);
  });

  it("makes double and foreign releases errors", () => {
    const pool = new BufferPool({ name: "strict", sizeClasses: [64] });
    const a = pool.take(10);
    pool.release(a);
    expect(() => pool.release(a)).toThrow(PerflayerError);
    expect(() => pool.release(Buffer.alloc(10))).toThrow("not taken from this pool");
  });

  it("bounds idle buffers per class and drops idle ones under pressure, largest first", () => {
    const pool = new BufferPool({ name: "bounded", sizeClasses: [100, 1_000], maxIdlePerClass: 2 });
    const small = [pool.take(100), pool.take(100), pool.take(100)];
    const large = [pool.take(1_000), pool.take(1_000)];
    expect(pool.inUseBytes()).toBe(2_300); // 3 × 100 + 2 × 1,000, lent out
    expect(pool.estimatedBytes()).toBe(0);
    for (const b of [...small, ...large]) pool.release(b);
    expect(pool.inUseBytes()).toBe(0);
    expect(pool.idle).toBe(4);
    expect(pool.estimatedBytes()).toBe(2_200);
    expect(pool.reclaim(1_500)).toBe(2_000);
    expect(pool.estimatedBytes()).toBe(200);
  });

  it("rejects bad sizes and classes", () => {
    expect(() => new BufferPool({ name: "x", sizeClasses: [10, 5] })).toThrow(PerflayerConfigError);
    expect(() => new BufferPool({ name: "x" }).take(-1)).toThrow(
      "Expected `size` to be an integer >= 0",
    );
  });

  it.each([
    [
      (pool: BufferPool) => pool.take(2 ** 40),
      'BufferPool "v".take(): Expected `size` to be an integer >= 0 and <= 4294967296 (buffer.constants.MAX_LENGTH), got `1099511627776` (number). Ask for the bytes one buffer holds; stream or split larger data.',
    ],
    [(pool: BufferPool) => pool.take(Number.NaN), "Expected `size` to be an integer >= 0"],
    [
      (pool: BufferPool) => pool.reclaim(-1),
      "Expected `targetBytes` to be a number >= 0, got `-1`",
    ],
    [
      (pool: BufferPool) => pool.release("chunk" as never),
      'BufferPool "v".release(): Expected `buffer` to be a Buffer from take(), got `"chunk"` (string).',
    ],
  ])("rejects bad arguments with typed errors in the house formula (%#)", (call, message) => {
    const pool = new BufferPool({ name: "v" });
    expect(() => call(pool)).toThrow(PerflayerConfigError);
    expect(() => call(pool)).toThrow(message);
  });

  it.each([
    [
      { name: "" },
      'new BufferPool(): Expected `name` to be a non-empty string, got `""` (string).',
    ],
    [
      { name: "z", zeroFill: "yes" },
      'BufferPool "z": Expected `zeroFill` to be a boolean, got `"yes"` (string). Pass e.g. { zeroFill: true }.',
    ],
    [
      { name: "z", sizeClasses: [2 ** 40] },
      "Expected `sizeClasses` to be a non-empty array of ascending integers from 1 to 4294967296",
    ],
    [{ name: "z", maxIdlePerClass: -1 }, "Expected `maxIdlePerClass` to be an integer >= 0"],
  ])("rejects bad options %j in the house formula", (options, message) => {
    expect(() => new BufferPool(options as never)).toThrow(PerflayerConfigError);
    expect(() => new BufferPool(options as never)).toThrow(message);
  });
});
