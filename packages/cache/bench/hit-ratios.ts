// Prints the README's hit-ratio table: lru-cache, perflayer's W-TinyLFU policy, the best static set
// of keys and Bélády's optimum, on every seeded trace at every capacity. Deterministic: the same
// figures on every machine and every run.
// Run: pnpm --filter @perflayer/cache hit-ratio-table
import {
  CAPACITIES,
  TRACES,
  beladyMisses,
  lruCacheMisses,
  perflayerMisses,
  staticOptimumMisses,
} from "./traces.ts";

const rows: string[] = [
  '| trace | capacity | lru-cache | `policy: "tinylfu"` | difference | static optimum | Bélády |',
  "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
];
for (const spec of TRACES) {
  for (const capacity of CAPACITIES) {
    const trace = spec.make(capacity);
    const hit = (misses: number): number => 1 - misses / trace.keys.length;
    const lru = hit(lruCacheMisses(trace, capacity));
    const ours = hit(perflayerMisses(trace, capacity, "tinylfu"));
    const difference = ours - lru;
    rows.push(
      `| ${spec.name} | ${capacity.toLocaleString("en-US")} | ${lru.toFixed(3)} | **${ours.toFixed(3)}** | ${difference >= 0 ? "+" : "−"}${Math.abs(difference).toFixed(3)} | ${hit(staticOptimumMisses(trace, capacity)).toFixed(3)} | ${hit(beladyMisses(trace, capacity)).toFixed(3)} |`,
    );
    process.stderr.write(`${spec.name} @ ${capacity} done\n`);
  }
}
console.log(rows.join("\n"));
