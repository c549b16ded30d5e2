import { describe, expect, it } from "vitest";
import { estimateSize } from "@perflayer/core";

describe("estimateSize", () => {
  it("grows with string length and buffer size", () => {
    expect(estimateSize("a".repeat(1_000))).toBeGreaterThan(estimateSize("a".repeat(10)));
    expect(estimateSize(Buffer.alloc(4096))).toBeGreaterThanOrEqual(4096);
    expect(estimateSize(new Float64Array(100))).toBeGreaterThanOrEqual(800);
  });

  it("counts nested objects, arrays, maps and sets", () => {
    const flat = estimateSize({ a: 1 });
    const nested = estimateSize({ a: { b: { c: ["x".repeat(100), "y".repeat(100)] } } });
    expect(nested).toBeGreaterThan(flat + 200);
    expect(estimateSize(new Map([["k", "v".repeat(500)]]))).toBeGreaterThan(500);
    expect(estimateSize(new Set(["v".repeat(500)]))).toBeGreaterThan(500);
  });

  it("is cycle-safe and counts shared objects once", () => {
    const node: { self?: unknown; payload: string } = { payload: "p".repeat(1_000) };
    node.self = node;
    expect(Number.isFinite(estimateSize(node))).toBe(true);
    const shared = { blob: "s".repeat(10_000) };
    expect(estimateSize([shared, shared, shared])).toBeLessThan(2 * estimateSize(shared));
  });

  it("stays bounded on huge values and extrapolates the rest", () => {
    const huge = Array.from({ length: 50_000 }, (_, i) => ({ id: i, name: `item-${i}` }));
    const bounded = estimateSize(huge, { maxNodes: 1_000 });
    const full = estimateSize(huge, { maxNodes: 1_000_000 });
    expect(bounded / full).toBeGreaterThan(0.8);
    expect(bounded / full).toBeLessThan(1.25);
  });

  it("treats immediates as free and heap numbers as boxed", () => {
    expect(estimateSize(true)).toBe(0);
    expect(estimateSize(undefined)).toBe(0);
    expect(estimateSize(null)).toBe(0);
    expect(estimateSize(42)).toBe(0);
    expect(estimateSize(4.2)).toBeGreaterThan(0);
  });
});
