// Not gated (the file name does not end in .bench.ts): a suite for bench-gate's instructions-mode
// calibration (`pnpm --filter @perflayer/bench-gate validate:instructions`). The same cache hit
// path four times in one process: the base, an identical copy (A/A), and two deliberate
// regressions of that hot path — every 50th / 20th get looks its key up twice, 2 % / 5 % more of
// the path's work.
import { defineSuite } from "@perflayer/bench-gate";
import type { BenchmarkDefinition } from "@perflayer/bench-gate";
import { CacheManager } from "@perflayer/cache";

const KEYS = 10_000;
const keys = Array.from({ length: KEYS }, (_, i) => `key:${i}`);
const key = (i: number): string => keys[i % KEYS] as string;

/** Cache hits; every `every`-th call looks its key up twice (never, when `every` is 0). */
function hits(name: string, every: number): BenchmarkDefinition {
  return {
    name,
    measure: "instructions",
    setup: ({ loop }) => {
      const cache = new CacheManager({ sweepIntervalMs: 0 }).cache<string, string>("calibration", {
        max: KEYS,
      });
      for (const k of keys) cache.set(k, k);
      return {
        ours: loop((i) => {
          const hit = cache.get(key(i));
          return every > 0 && i % every === 0 ? cache.get(key(i + 1)) : hit;
        }),
      };
    },
  };
}

export const suite = defineSuite({
  name: "gate calibration",
  benchmarks: [
    hits("base", 0),
    hits("A/A", 0),
    hits("2 % regression", 50),
    hits("5 % regression", 20),
  ],
});
