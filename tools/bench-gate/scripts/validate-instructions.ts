// Calibrates instructions mode on this machine, with both cores saturated by hog processes:
//  - A/A: the cache hit path against an identical copy, in fresh processes under callgrind;
//  - the same path with a deliberate 2 % and 5 % regression (packages/cache/bench/gate-calibration.ts).
// Each run is one fresh process counting all four (as `pnpm check` does), decided at the
// instructions tolerance (1 %) with the gate's statistics.
// Run: pnpm --filter @perflayer/bench-gate validate:instructions   (VALIDATE_RUNS=20 by default)
import { spawn } from "node:child_process";
import { cpus } from "node:os";
import { fileURLToPath } from "node:url";
import { decide, median, runSuites } from "@perflayer/bench-gate";
import type { BenchmarkResult, VerdictKind } from "@perflayer/bench-gate";

const RUNS = Number(process.env["VALIDATE_RUNS"] ?? 20);
/** Runs at a time (each is its own process; counts do not depend on how many run side by side). */
const PARALLEL = Number(process.env["VALIDATE_PARALLEL"] ?? 1);
const TOLERANCE = 0.01;
const suite = fileURLToPath(
  new URL("../../../packages/cache/bench/gate-calibration.ts", import.meta.url),
);

// One busy loop per core, for the whole calibration.
const hogs = cpus().map(() => spawn(process.execPath, ["-e", "for (;;) {}"], { stdio: "ignore" }));
const stopHogs = (): void => {
  for (const hog of hogs) hog.kill();
};
process.on("exit", stopHogs);

const values = (r: BenchmarkResult | undefined): number[] => (r?.ours ?? []).map((s) => s.value);
const tally: Record<"A/A" | "2 %" | "5 %", Map<VerdictKind, number>> = {
  "A/A": new Map(),
  "2 %": new Map(),
  "5 %": new Map(),
};
const ratios: Record<keyof typeof tally, number[]> = { "A/A": [], "2 %": [], "5 %": [] };
let worstNoise = 0;
const started = Date.now();
console.log(
  `instructions-mode calibration — node ${process.version}, ${RUNS} runs (${PARALLEL} at a time), ${hogs.length} hog processes, tolerance ${TOLERANCE * 100} %\n`,
);
let next = 1;
async function worker(): Promise<void> {
  while (next <= RUNS) await calibrationRun(next++);
}
async function calibrationRun(run: number): Promise<void> {
  const result = await runSuites({ files: [suite], mode: "quick", tolerance: TOLERANCE });
  const byName = new Map(result.results.map((r) => [r.name, r]));
  const base = values(byName.get("base"));
  for (const r of result.results)
    if (r.ours.length === 0) throw new Error(`run ${run}, ${r.name}: ${r.error ?? r.notRun}`);
  for (const [label, name] of [
    ["A/A", "A/A"],
    ["2 %", "2 % regression"],
    ["5 %", "5 % regression"],
  ] as const) {
    const head = values(byName.get(name));
    const verdict = decide(base, head, { threshold: TOLERANCE });
    tally[label].set(verdict.kind, (tally[label].get(verdict.kind) ?? 0) + 1);
    ratios[label].push(median(head) / median(base));
    worstNoise = Math.max(worstNoise, verdict.noise.base, verdict.noise.head);
  }
  console.log(
    `run ${run}: base ${median(base).toFixed(3)} instructions/op; ratios A/A ${ratios["A/A"].at(-1)?.toFixed(5)}, 2 % ${ratios["2 %"].at(-1)?.toFixed(5)}, 5 % ${ratios["5 %"].at(-1)?.toFixed(5)}`,
  );
}
await Promise.all(Array.from({ length: PARALLEL }, worker));
stopHogs();
const spread = (list: number[]): string =>
  `${Math.min(...list).toFixed(5)} … ${Math.max(...list).toFixed(5)}`;
console.log("");
for (const label of ["A/A", "2 %", "5 %"] as const)
  console.log(
    `${label}: ${JSON.stringify(Object.fromEntries(tally[label]))}; ours ÷ base ${spread(ratios[label])}`,
  );
console.log(
  `worst per-sample noise (MAD / median): ${(worstNoise * 100).toFixed(4)} %; ${((Date.now() - started) / 60_000).toFixed(1)} min`,
);
