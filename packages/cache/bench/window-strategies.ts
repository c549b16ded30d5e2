// The two ways of sizing W-TinyLFU's admission window, side by side on every trace and capacity of
// the hit-ratio suite: the ghost filters the package uses (adaptive-window.ts: a request for a key
// one side just evicted moves the border by one entry) and Caffeine's hill climbing on the sampled
// hit ratio (bench/hill-climbing-window.ts, not shipped). Everything else — the store, sketch,
// admission and the traces — is the same. Deterministic: the same figures on every machine and run.
// Run: pnpm --filter @perflayer/cache window-strategies [reads per sample, per entry of capacity]
import { AdaptiveWindow } from "../src/adaptive-window.ts";
import { TinyLfuStore } from "../src/tinylfu-store.ts";
import type { WindowStrategy } from "../src/window-strategy.ts";
import { HillClimbingWindow, SAMPLE_PER_ENTRY } from "./hill-climbing-window.ts";
import { CAPACITIES, TRACES, lruCacheMisses, replayMisses } from "./traces.ts";
import type { Trace } from "./traces.ts";

/** Hill climbing's sample: Caffeine's 10 reads per entry of capacity unless the command line says. */
const samplePerEntry = Number(process.argv[2] ?? SAMPLE_PER_ENTRY);
if (!(samplePerEntry > 0))
  throw new Error(`Expected a positive sample size, got ${process.argv[2]}.`);
const uncounted = { inc: (): void => {} };
const metrics = { admitted: uncounted, rejected: uncounted, sketchReset: uncounted };

/** Hit ratio and final window share of a W-TinyLFU store whose window a strategy sizes. */
function replay(
  trace: Trace,
  capacity: number,
  strategy: (capacity: number, reads: () => number) => WindowStrategy,
): { hit: number; window: number } {
  let reads = 0;
  const store = new TinyLfuStore<number>({ max: capacity }, metrics, (c) =>
    strategy(c, () => reads),
  );
  const misses = replayMisses(trace, {
    get: (key: number) => {
      reads++;
      return store.get(key);
    },
    set: (key: number, value: number) => store.set(key, value),
  });
  return { hit: 1 - misses / trace.keys.length, window: store.stats().windowRatio };
}

const signed = (x: number): string => `${x >= 0 ? "+" : "−"}${Math.abs(x).toFixed(3)}`;
const rows: string[] = [
  `| trace | capacity | lru-cache | ghost filters | hill climbing (sample ${samplePerEntry} × capacity) | climbing − ghost | windows (ghost / climbing) |`,
  "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
];
for (const spec of TRACES) {
  for (const capacity of CAPACITIES) {
    const trace = spec.make(capacity);
    const lru = 1 - lruCacheMisses(trace, capacity) / trace.keys.length;
    const ghost = replay(trace, capacity, (c) => new AdaptiveWindow(c));
    const climbing = replay(
      trace,
      capacity,
      (c, reads) => new HillClimbingWindow(c, reads, samplePerEntry),
    );
    const mark = (hit: number): string =>
      `${hit < lru - 0.01 ? "⚠ " : ""}${hit.toFixed(3)} (${signed(hit - lru)})`;
    const share = (w: number): string => `${(w * 100).toFixed(1)} %`;
    rows.push(
      `| ${spec.name} | ${capacity.toLocaleString("en-US")} | ${lru.toFixed(3)} | ${mark(ghost.hit)} | ${mark(climbing.hit)} | ${signed(climbing.hit - ghost.hit)} | ${share(ghost.window)} / ${share(climbing.window)} |`,
    );
    process.stderr.write(`${spec.name} @ ${capacity} done\n`);
  }
}
console.log(rows.join("\n"));
