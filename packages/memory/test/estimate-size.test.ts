import { describe, expect, it } from "vitest";
import { estimateSize } from "@perflayer/memory";

function heapUsed(): number {
  globalThis.gc?.();
  globalThis.gc?.();
  return process.memoryUsage().heapUsed;
}

// Calibration: build N copies of a value, measure the heap delta, compare with N × estimate.
// The measured ratios are recorded in the README; the bounds here keep the estimate honest.
function calibrate(make: (i: number) => unknown, n = 20_000): number {
  const before = heapUsed();
  const kept: unknown[] = [];
  for (let i = 0; i < n; i++) kept.push(make(i));
  const delta = heapUsed() - before - 8 * n; // minus the holding array's slots
  const estimate = kept.reduce<number>((sum, value) => sum + estimateSize(value), 0);
  expect(kept.length).toBe(n);
  return estimate / delta;
}

describe("estimateSize calibration against heap deltas", () => {
  it.each([
    // Strings as they arrive from I/O or JSON.parse are flat; strings built by `+` are cons-string
    // trees, larger than any estimate from their length (see the README).
    [
      "short strings read from I/O",
      (i: number) => Buffer.from(`user:${i}:${"x".repeat(20)}`).toString(),
    ],
    [
      "JSON-like records",
      (i: number) => ({
        id: i,
        name: `name-${i}`,
        email: `u${i}@example.com`,
        active: true,
        score: i * 1.5,
      }),
    ],
    ["arrays of numbers", (i: number) => Array.from({ length: 16 }, (_, j) => i + j + 0.5)],
    [
      "nested objects",
      (i: number) => ({ id: i, profile: { bio: `bio ${i}`.repeat(4), tags: ["a", "b", `t${i}`] } }),
    ],
  ])("estimates %s within a factor of 2 of the measured heap (never far below)", (_name, make) => {
    const ratio = calibrate(make);
    expect(ratio).toBeGreaterThan(0.7);
    expect(ratio).toBeLessThan(2);
  });
});
