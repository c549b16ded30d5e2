// Prints every figure of the workload benchmarks, one row per workload, heap limit and variant:
//   WORKLOAD_LOG=runs.jsonl bench-gate run bench/workload.bench.ts --timeout 900
//   tsx bench/workload-table.ts runs.jsonl
// Figures are the median over runs with [min–max]; each run is one process. Warm-ups are left out.
// A second table holds each optimizer variant against the plain caches' curve of hit ratio over
// peak heap + external (`sized` or `sized-pool` runs at two or more `sizedMax`), at its own peak.
import { readFileSync } from "node:fs";
import { curveGaps, plainCurve } from "./plain-curve.js";
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

const heapOf = (run: LoggedRun): string =>
  run.heapLimitMiB === undefined ? "default heap" : `--max-old-space-size=${run.heapLimitMiB}`;
const plainVariant = (variant: string): boolean => variant === "sized" || variant === "sized-pool";

const all: LoggedRun[] = [];
const groups = new Map<string, LoggedRun[]>();
for (const file of process.argv.slice(2)) {
  for (const line of readFileSync(file, "utf8").split("\n")) {
    if (line.trim() === "") continue;
    const run = JSON.parse(line) as LoggedRun;
    if (run.warmup) continue;
    all.push(run);
    const { workload, variant, sizedMax, optimizer } = run.spec;
    // Optimizer options other than the defaults (a band tried) name a row of their own.
    const what = plainVariant(variant)
      ? `${variant} (max ${sizedMax ?? 25_000})`
      : optimizer === undefined
        ? variant
        : `${variant} ${JSON.stringify(optimizer)}`;
    const key = `${workload} | ${heapOf(run)} | ${what}`;
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

// Against the plain curve: an optimizer variant with a pool is held against `sized-pool`, one
// without against `sized` (the pool changes how often V8 collects), same workload and heap.
const gapRows: string[] = [];
for (const [key, runs] of [...groups].sort(([a], [b]) => a.localeCompare(b))) {
  const first = runs[0] as LoggedRun;
  if (plainVariant(first.spec.variant) || first.spec.variant === "unbounded") continue;
  const plainOf = first.spec.variant.endsWith("-pool") ? "sized-pool" : "sized";
  const curve = plainCurve(
    all.filter(
      (r) =>
        r.spec.variant === plainOf &&
        r.spec.workload === first.spec.workload &&
        heapOf(r) === heapOf(first),
    ),
  );
  const gaps = curveGaps(curve, runs);
  if (gaps.length === 0) continue;
  const points = curve
    .map((p) => `${p.sizedMax}: ${mib(p.peak)} MiB ${fixed(3)(p.hitRatio)} (${p.runs})`)
    .join(", ");
  const signed = (v: number): string => (v >= 0 ? "+" : "") + v.toFixed(3);
  gapRows.push(
    `| ${key} | ${String(runs.length)} | ${spread(
      runs.map((r) => r.peakHeapExternal),
      mib,
    )} | ${points} | ${spread(
      gaps.map((g) => g.gap),
      signed,
    )} (${spread(
      gaps.map((g) => g.steadyGap),
      signed,
    )}) | ${String(gaps.filter((g) => g.extrapolated).length)} |`,
  );
}
if (gapRows.length > 0) {
  console.log(
    [
      "",
      "| workload | heap | variant | runs | peak heap+ext MiB | plain curve (max: median peak, hit ratio (runs)) | hit ratio − the curve's at the run's peak, all (steady) | runs outside the curve |",
      "| --- | --- | --- | --- | --- | --- | --- | --- |",
      ...gapRows,
    ].join("\n"),
  );
}
