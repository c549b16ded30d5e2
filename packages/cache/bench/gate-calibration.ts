// Not gated (the file name does not end in .bench.ts): the suite of bench-gate's instructions-mode
// calibration (`pnpm --filter @perflayer/bench-gate validate:instructions`). The cache hit path
// with a deliberate regression when PERFLAYER_CALIBRATION_EVERY is set: every n-th get looks its
// key up twice (n = 82: 2 % more instructions per call, measured; n = 33: 5 %). Unset, the extra lookup never
// runs: a run without it is the baseline, another run without it the A/A comparison.
import { defineSuite } from "@perflayer/bench-gate";
import { CacheManager } from "@perflayer/cache";

const KEYS = 10_000;
const keys = Array.from({ length: KEYS }, (_, i) => `key:${i}`);
const key = (i: number): string => keys[i % KEYS] as string;
// Unset, the test still runs on every call (with a period no loop reaches): the baseline and the
// regressed runs execute the same check, and differ only by the extra lookups. (A baseline that
// skipped the check made "every 50th" a 5.6 % regression in counts, not 2 %.)
const every = Number(process.env["PERFLAYER_CALIBRATION_EVERY"] ?? 0) || 2 ** 31;

export const suite = defineSuite({
  name: "gate calibration",
  benchmarks: [
    {
      name: "get (hit), 10k string keys",
      measure: "instructions",
      setup: ({ loop }) => {
        const cache = new CacheManager({ sweepIntervalMs: 0 }).cache<string, string>("users", {
          max: KEYS,
        });
        for (const k of keys) cache.set(k, k);
        return {
          ours: loop((i) => {
            const hit = cache.get(key(i));
            return i % every === 0 ? cache.get(key(i + 1)) : hit;
          }),
        };
      },
    },
  ],
});
