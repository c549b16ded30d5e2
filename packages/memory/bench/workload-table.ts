// Prints every figure of the workload benchmarks, one row per workload, heap limit and variant:
//   WORKLOAD_LOG=runs.jsonl bench-gate run bench/workload.bench.ts --timeout 900
//   tsx bench/workload-table.ts runs.jsonl
// Figures are the median over runs with [min–max]; each run is one process. Warm-ups are left out.
import { readFileSync } from "node:fs";
import type { LoggedRun } from "./workload.bench.js";

const MiB = 2 ** 20;

function spread(values: readonly number[], format: (v: number) => string): string {
  if (values.length === 0) return "—";
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median =
    sorted.length % 2 === 1
      ? (sorted[mid] as number)
      : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
  const low = sorted[0] as number;
  const high = sorted.at(-1) as number;
  return low === high ? format(median) : `${format(median)} [${format(low)}–${format(high)}]`;
}

const mib = (v: number): string => (v / MiB).toFixed(0);
const pct = (v: number): string => `${(v * 100).toFixed(1)} %`;
const fixed =
  (digits: number) =>
  (v: number): string =>
    v.toFixed(digits);

const columns: readonly (readonly [string, (runs: readonly LoggedRun[]) => string])[] = [
  ["runs", (r) => String(r.length)],
  [
    "load (1-min)",
    (r) =>
      spread(
        r.flatMap((x) => (x.load === undefined ? [] : [x.load])),
        fixed(0),
      ),
  ],
  [
    "req/s achieved",
    (r) =>
      spread(
        r.map((x) => x.achievedRate),
        fixed(0),
      ),
  ],
  [
    "peak heap+ext MiB",
    (r) =>
      spread(
        r.map((x) => x.peakHeapExternal),
        mib,
      ),
  ],
  [
    "steady peak heap+ext MiB",
    (r) =>
      spread(
        r.map((x) => x.steadyPeakHeapExternal ?? Number.NaN),
        mib,
      ),
  ],
  [
    "median heap+ext MiB",
    (r) =>
      spread(
        r.map((x) => x.medianHeapExternal),
        mib,
      ),
  ],
  [
    "peak RSS MiB",
    (r) =>
      spread(
        r.map((x) => x.peakRss),
        mib,
      ),
  ],
  [
    "over budget, all (steady)",
    (r) =>
      `${spread(
        r.map((x) => x.overBudgetShare),
        pct,
      )} (${spread(
        r.map((x) => x.steadyOverBudgetShare),
        pct,
      )})`,
  ],
  [
    "level changes/min, all (steady)",
    (r) =>
      `${spread(
        r.map((x) => x.levelChangesPerMinute),
        fixed(1),
      )} (${spread(
        r.map((x) => x.steadyLevelChangesPerMinute),
        fixed(1),
      )})`,
  ],
  [
    "cache reclaims (fewest entries left)",
    (r) =>
      `${spread(
        r.map((x) => x.reclaimCount),
        fixed(0),
      )} (${spread(
        r.flatMap((x) =>
          x.minEntriesAfterReclaim === undefined ? [] : [x.minEntriesAfterReclaim],
        ),
        fixed(0),
      )})`,
  ],
  [
    "halvings",
    (r) =>
      spread(
        r.map((x) => x.halvings + x.reclaimsBelowHalfUndemanded),
        fixed(0),
      ),
  ],
  [
    "hit ratio, all (steady)",
    (r) =>
      `${spread(
        r.map((x) => x.hitRatio),
        fixed(3),
      )} (${spread(
        // Runs logged before the steady-state hit ratio was recorded have none.
        r.flatMap((x) => {
          const steady = (x as Partial<Pick<LoggedRun, "steadyHitRatio">>).steadyHitRatio;
          return steady === undefined ? [] : [steady];
        }),
        fixed(3),
      )})`,
  ],
  [
    "median entries",
    (r) =>
      spread(
        r.map((x) => x.medianEntries),
        fixed(0),
      ),
  ],
  [
    "major GCs/min",
    (r) =>
      spread(
        r.map((x) => (x.majorGcs * 60) / x.seconds),
        fixed(0),
      ),
  ],
  [
    "CPU (cores)",
    (r) =>
      spread(
        r.map((x) => x.cpuShare),
        fixed(2),
      ),
  ],
];

const groups = new Map<string, LoggedRun[]>();
for (const file of process.argv.slice(2)) {
  for (const line of readFileSync(file, "utf8").split("\n")) {
    if (line.trim() === "") continue;
    const run = JSON.parse(line) as LoggedRun;
    if (run.warmup) continue;
    const { workload, variant, sizedMax } = run.spec;
    const heap =
      run.heapLimitMiB === undefined ? "default heap" : `--max-old-space-size=${run.heapLimitMiB}`;
    const what =
      variant === "sized" || variant === "sized-pool"
        ? `${variant} (max ${sizedMax ?? 25_000})`
        : variant;
    const key = `${workload} | ${heap} | ${what}`;
    groups.set(key, [...(groups.get(key) ?? []), run]);
  }
}
const rows = [
  `| workload | heap | variant | ${columns.map(([c]) => c).join(" | ")} |`,
  `| --- | --- | --- | ${columns.map(() => "---").join(" | ")} |`,
  ...[...groups]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, runs]) => `| ${key} | ${columns.map(([, f]) => f(runs)).join(" | ")} |`),
];
console.log(rows.join("\n"));
