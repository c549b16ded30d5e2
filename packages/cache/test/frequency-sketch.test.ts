import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { FrequencySketch } from "../src/frequency-sketch.ts";
import { hashKey } from "../src/hash-key.ts";

describe("FrequencySketch", () => {
  it("lets a key's first access only mark the doorkeeper, and counts from the second on", () => {
    const sketch = new FrequencySketch(1_000, () => undefined);
    const h = hashKey("k");
    expect(sketch.frequency(h)).toBe(0);
    sketch.increment(h);
    expect(sketch.frequency(h)).toBe(1);
    sketch.increment(h, 3);
    expect(sketch.frequency(h)).toBe(4);
  });

  it("never underestimates a key's count below 15, whatever else it counted (property)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 300 }), { minLength: 1, maxLength: 2_000 }),
        (keys) => {
          const sketch = new FrequencySketch(64, () => undefined); // small: collisions happen
          const counts = new Map<number, number>();
          for (const key of keys) {
            sketch.increment(hashKey(key));
            counts.set(key, (counts.get(key) ?? 0) + 1);
          }
          if (sketch.resets > 0) return true; // aging halves on purpose; checked below
          for (const [key, count] of counts)
            if (sketch.frequency(hashKey(key)) < Math.min(count, 15)) return false;
          return true;
        },
      ),
    );
  });

  it("saturates at 15 counted accesses (16 with the doorkeeper)", () => {
    const sketch = new FrequencySketch(1_000, () => undefined);
    const h = hashKey(42);
    sketch.increment(h, 100);
    expect(sketch.frequency(h)).toBe(16);
  });

  it("ages after 10 × capacity accesses: counters halve, the doorkeeper forgets", () => {
    let aged = 0;
    const sketch = new FrequencySketch(100, () => aged++);
    const hot = hashKey("hot");
    sketch.increment(hot, 13); // doorkeeper + 12
    for (let i = 0; i < 986; i++) sketch.increment(hashKey(`cold:${i}`));
    expect(aged).toBe(0);
    expect(sketch.frequency(hot)).toBeGreaterThanOrEqual(13);
    sketch.increment(hashKey("one more"));
    expect(aged).toBe(1);
    expect(sketch.resets).toBe(1);
    const after = sketch.frequency(hot);
    expect(after).toBeGreaterThanOrEqual(6); // 12 / 2, without the doorkeeper's 1
    expect(after).toBeLessThanOrEqual(7);
  });

  it("holds 8 counters and 16 doorkeeper bits per entry, rounded up to powers of two", () => {
    expect(new FrequencySketch(10_000, () => undefined).bytes).toBe(
      (131_072 * 4) / 8 + 262_144 / 8,
    );
    expect(new FrequencySketch(0, () => undefined).bytes).toBe((512 * 4) / 8 + 1_024 / 8);
  });

  it("grows when a cache bounded by bytes outgrows it, starting its history afresh", () => {
    const sketch = new FrequencySketch(0, () => undefined);
    const h = hashKey("k");
    sketch.increment(h, 5);
    expect(sketch.ensureCapacity(64)).toBe(false);
    expect(sketch.ensureCapacity(65)).toBe(true);
    expect(sketch.capacity).toBe(130);
    expect(sketch.frequency(h)).toBe(0);
  });
});

describe("hashKey", () => {
  it("hashes strings and numbers by content, objects by identity, into 30 bits", () => {
    const a = { id: 1 };
    expect(hashKey("user:1")).toBe(hashKey(`user:${1}`));
    expect(hashKey(7)).toBe(hashKey(7));
    expect(hashKey(0)).toBe(hashKey(-0));
    expect(hashKey(a)).toBe(hashKey(a));
    expect(hashKey(a)).not.toBe(hashKey({ id: 1 }));
    for (const key of ["", "x", 1.5, -3, 2 ** 40, Symbol("s"), 10n, true, a, () => 1]) {
      const h = hashKey(key);
      expect(Number.isInteger(h) && h >= 0 && h < 2 ** 30).toBe(true);
    }
  });

  it("spreads sequential keys evenly", () => {
    const buckets = new Array<number>(64).fill(0);
    for (let i = 0; i < 64_000; i++) {
      const h = hashKey(`key:${i}`);
      buckets[h & 63] = (buckets[h & 63] ?? 0) + 1;
    }
    for (const n of buckets) expect(Math.abs(n - 1_000)).toBeLessThan(150);
  });
});
