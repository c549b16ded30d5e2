import { describe, expect, it } from "vitest";
import { CacheManager } from "@perflayer/cache";
import { MemoryOptimizer } from "@perflayer/memory";

const MiB = 2 ** 20;

function usedNow(): number {
  globalThis.gc?.();
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.external;
}

describe("MemoryOptimizer with a real CacheManager (--expose-gc)", () => {
  it(
    "P0 «one memory budget for a Node.js process»: keeps a growing cache workload under its budget by shedding the registered cache",
    { tags: ["p0"] },
    async () => {
      const baseline = usedNow();
      const budget = baseline + 48 * MiB;
      const memory = new MemoryOptimizer({
        budget,
        cooldownMs: 0,
        observeGc: false,
        leakDetection: false,
        sampleIntervalMs: 3_600_000,
      });
      const caches = new CacheManager({ sweepIntervalMs: 0 });
      // A byte-tracked cache whose own bound (1 GiB) would never stop it: only the optimizer does.
      const pages = caches.cache<number, Buffer>("pages", {
        maxSize: 1024 * MiB,
        sizeOf: (b) => b.length,
      });
      const unregister = memory.register(pages, { priority: "low" });
      let peak = 0;
      for (let i = 0; i < 200; i++) {
        pages.set(i, Buffer.alloc(MiB, i % 256)); // 200 MiB offered in total
        if (i % 5 === 4) {
          await memory.sample();
          if (i % 20 === 19) peak = Math.max(peak, usedNow());
        }
      }
      await memory.sample();
      const after = usedNow();
      expect(pages.stats().evictions.pressure).toBeGreaterThan(100);
      expect(pages.sizeBytes).toBeLessThan(48 * MiB);
      expect(after).toBeLessThan(budget);
      expect(peak).toBeLessThan(budget + 8 * MiB); // at most one sampling step (5 MiB) over
      unregister();
      await caches.close();
      await memory.close();
    },
  );
});
