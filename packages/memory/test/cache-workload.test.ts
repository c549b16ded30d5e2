import { describe, expect, it } from "vitest";
import { CacheManager } from "@perflayer/cache";
import { MemoryOptimizer } from "@perflayer/memory";

const MiB = 2 ** 20;

describe("MemoryOptimizer on the real heap (no forced GC)", () => {
  it(
    "P0 «one memory budget for a Node.js process»: reads live memory after V8's own major GCs and steers a cache offered more than the budget leaves it",
    // A watchdog, not a speed assertion: ~15 s on a quiet machine, 125 s inside the whole `pnpm
    // test` at load 80 on the 2-core box.
    { tags: ["p0"], timeout: 600_000 },
    async () => {
      // The real GC observer and clock; nothing here calls gc(): V8 collects when it chooses.
      const memory = new MemoryOptimizer({
        budget: 512 * MiB,
        leakDetection: false,
        sampleIntervalMs: 3_600_000,
      });
      const caches = new CacheManager({ sweepIntervalMs: 0 });
      // A byte-tracked cache whose own bound (1 GiB) would never stop it: only the budget does.
      const pages = caches.cache<number, string>("pages", { maxSize: 1024 * MiB });
      memory.register(pages, { priority: "low" });
      // Requests in flight for a while: they outlive minor GCs, so their garbage fills the old
      // generation and V8 runs major GCs of its own accord.
      const inFlight: string[] = Array.from({ length: 20_000 }, () => "");
      // Flat strings, each its own memory (padEnd and repeat build ropes that share their parts).
      const template = Buffer.alloc(4_000, "p");
      const flat = (i: number, bytes: number): string => {
        template.write(`${i}:`, 0, "latin1");
        return template.toString("latin1", 0, bytes);
      };
      let garbageSeen = false;
      let offered = 0;
      // 400 MB offered at least, and until V8 has run two major GCs of its own.
      for (
        let i = 0;
        i < 400_000 && (i < 100_000 || (memory.status().live?.majorGcs ?? 0) < 2);
        i++
      ) {
        pages.set(i, flat(i, 4_000));
        inFlight[i % inFlight.length] = flat(i, 2_000);
        offered += 4_000;
        if (i % 1_000 === 999) {
          await new Promise((resolve) => setImmediate(resolve)); // the GC observer delivers
          await memory.sample();
          const { live, sample } = memory.status();
          // Evicted pages are garbage until V8 collects them: the live reading leaves them out.
          if (live !== undefined && sample !== undefined && live.majorGcs > 0)
            garbageSeen ||= live.heapLive + 16 * MiB < sample.heapUsed;
        }
      }
      const status = memory.status();
      const capacity = status.reclaimers[0]?.capacityBytes;
      expect(status.live?.majorGcs).toBeGreaterThanOrEqual(2);
      expect(garbageSeen).toBe(true);
      expect(capacity).toBeDefined();
      expect(capacity).toBeLessThan(offered / 2); // steered well below what was offered
      expect(pages.sizeBytes).toBeLessThanOrEqual(capacity ?? 0);
      expect(pages.size).toBeGreaterThan(0);
      expect(pages.stats().evictions.size + pages.stats().evictions.pressure).toBeGreaterThan(0);
      expect(inFlight.length).toBe(20_000);
      await caches.close();
      await memory.close();
    },
  );
});
