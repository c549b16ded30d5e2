import { describe, expect, it } from "vitest";
import * as cache from "@perflayer/cache";
import * as memory from "@perflayer/memory";
import * as monitor from "@perflayer/monitor";
import * as response from "@perflayer/response";
import { DETECTORS, REPLACEMENTS } from "@perflayer/analyzer";

const packages: Record<string, Record<string, unknown>> = {
  "@perflayer/cache": cache,
  "@perflayer/memory": memory,
  "@perflayer/monitor": monitor,
  "@perflayer/response": response,
};

/** Methods reachable from an export: its prototype chain, or the prototypes of what it creates. */
function methodsOf(value: unknown): Set<string> {
  const names = new Set<string>();
  const protos: unknown[] = [];
  if (typeof value === "function") protos.push(value.prototype);
  for (const proto of protos) {
    for (
      let p = proto;
      p !== undefined && p !== null && p !== Object.prototype;
      p = Object.getPrototypeOf(p) as unknown
    )
      for (const name of Object.getOwnPropertyNames(p)) names.add(name);
  }
  return names;
}

describe("the replacement table names real perflayer APIs", () => {
  // Cache methods live on the Cache class returned by CacheManager.cache(), counted as CacheManager's.
  const extra: Record<string, unknown[]> = {
    CacheManager: [cache.Cache],
    PerformanceMonitor: [monitor.HistogramMetric, monitor.CounterMetric],
    MemoryOptimizer: [],
  };

  for (const [kind, replacement] of Object.entries(REPLACEMENTS)) {
    it(`${kind} → ${replacement.package} ${replacement.exports.join(", ")}`, () => {
      const pkg = packages[replacement.package];
      expect(pkg).toBeDefined();
      for (const name of replacement.exports)
        expect(pkg?.[name], `${replacement.package} exports ${name}`).toBeDefined();
      const available = new Set<string>();
      for (const name of replacement.exports) {
        for (const m of methodsOf(pkg?.[name])) available.add(m);
        for (const other of extra[name] ?? []) for (const m of methodsOf(other)) available.add(m);
      }
      for (const method of replacement.methods)
        expect(available.has(method), `${method} on ${replacement.exports.join("/")}`).toBe(true);
      expect(replacement.lines).toBe(replacement.after.split("\n").length);
    });
  }

  it("has a replacement for every kind a detector reports", () => {
    for (const detector of DETECTORS)
      for (const kind of detector.kinds) expect(REPLACEMENTS[kind], kind).toBeDefined();
  });
});

describe("the detector catalog", () => {
  it("describes exactly the detectors, in the same precedence order", async () => {
    const { DETECTOR_CATALOG } = await import("@perflayer/analyzer");
    expect(
      DETECTOR_CATALOG.map((d) => ({ id: d.id, category: d.category, kinds: d.kinds })),
    ).toEqual(DETECTORS.map((d) => ({ id: d.id, category: d.category, kinds: d.kinds })));
  });
});
