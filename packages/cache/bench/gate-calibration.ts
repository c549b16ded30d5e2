// Not gated (the file name does not end in .bench.ts): the suite of bench-gate's instructions-mode
// calibration (`pnpm --filter @perflayer/bench-gate validate:instructions`). The cache hit path
// with a deliberate regression when PERFLAYER_CALIBRATION_EVERY=n is set: every n-th get looks its
// key up twice (the percentages each n adds are measured by the calibration). Unset, every get looks
// its key up once: a run without it is the baseline, another run without it the A/A comparison.
import { defineSuite } from "@perflayer/bench-gate";
import { CacheManager } from "@perflayer/cache";

const KEYS = 10_000;
const keys = Array.from({ length: KEYS }, (_, i) => `key:${i}`);
const key = (i: number): string => keys[i % KEYS] as string;
// How many times each call looks its key up: once, and twice every n-th call when the regression
// is on. The baseline and the regressed runs execute the same code with the same type feedback and
// differ only in this data, so what the regression adds is the extra lookups and nothing else.
// (An extra lookup behind a test that the baseline never passed changed how V8 compiled the whole
// body: every 82nd and every 117th get doubled measured +2.9 % and +3.7 %, every 33rd only +4.1 %.)
const every = Number(process.env["PERFLAYER_CALIBRATION_EVERY"] ?? 0);
const lookups = Uint8Array.from({ length: KEYS }, (_, i) => (every > 0 && i % every === 0 ? 2 : 1));

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
            let hit: string | undefined;
            for (let n = lookups[i % KEYS] as number; n > 0; n--) hit = cache.get(key(i));
            return hit;
          }),
        };
      },
    },
  ],
});
