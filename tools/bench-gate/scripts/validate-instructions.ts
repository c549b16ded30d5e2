// Calibrates instructions mode as `pnpm check` uses it, with both cores saturated by hog processes:
// one run of packages/cache/bench/gate-calibration.ts (the cache hit path) is the baseline; then
// 20 fresh runs of the same code (A/A), 20 with a deliberate regression of that path measured at
// +1.86 % ("2 %") and 20 with one of +4.47 % ("4.5 %") are each decided against it with the gate's statistics at the instructions tolerance.
// Run: pnpm --filter @perflayer/bench-gate validate:instructions
//   (VALIDATE_RUNS=20 per scenario, VALIDATE_PARALLEL=1 runs at a time, VALIDATE_ONLY="2 %" one
//   scenario, VALIDATE_ONLY="A/A,2 %" two)
import { spawn } from "node:child_process";
import { cpus } from "node:os";
import { fileURLToPath } from "node:url";
import { decide, median, relativeNoise, runSuites } from "@perflayer/bench-gate";
import type { VerdictKind } from "@perflayer/bench-gate";

const RUNS = Number(process.env["VALIDATE_RUNS"] ?? 20);
/** Runs at a time (each its own process under callgrind; a count does not depend on the load). */
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

/** One fresh run's samples (instructions per call), with the regression `every` set or not. */
async function counts(): Promise<number[]> {
  const { results } = await runSuites({
    files: [suite],
    mode: "quick",
    tolerance: TOLERANCE,
    timeoutMs: 600_000, // a process is slow with both cores saturated; its count is not
  });
  const [result] = results;
  if (result === undefined || result.ours.length === 0)
    throw new Error(`calibration run: ${result?.error ?? result?.notRun ?? "no result"}`);
  return result.ours.map((s) => s.value);
}

const started = Date.now();
console.log(
  `instructions-mode calibration — node ${process.version}, ${RUNS} runs per scenario (${PARALLEL} at a time), ${hogs.length} hog processes, tolerance ${TOLERANCE * 100} %\n`,
);
delete process.env["PERFLAYER_CALIBRATION_EVERY"];
const base = await counts();
console.log(`baseline: ${median(base).toFixed(3)} instructions/op`);
let worstNoise = relativeNoise(base);
// What a period injects is measured, not assumed: the head ÷ baseline range printed for each
// scenario is the regression injected. Every n-th get looks its key up twice, driven by data only
// (gate-calibration.ts): one run each (session 12), every 31st get added +1.86 %, every 32nd +1.81 %,
// every 33rd +1.65 %, every 11th +4.47 % — an extra lookup costs 210 or 246 instructions as the
// keys it lands on are cheaper or dearer. (Before, the extra lookup sat behind a test the baseline
// never passed: every 82nd added +2.9 %, every 117th +3.7 %, every 33rd +4.1 %.)
// e.g. "2 %": run the scenarios whose label contains it ("A/A,2 %": either, against one baseline)
const only = process.env["VALIDATE_ONLY"]?.split(",");
for (const [label, every] of (
  [
    ["A/A", undefined],
    ["2 % regression", "31"],
    ["4.5 % regression", "11"],
  ] as const
).filter(([label]) => only === undefined || only.some((part) => label.includes(part)))) {
  // Set before the runs start: every process of this scenario inherits it.
  if (every === undefined) delete process.env["PERFLAYER_CALIBRATION_EVERY"];
  else process.env["PERFLAYER_CALIBRATION_EVERY"] = every;
  const tally = new Map<VerdictKind, number>();
  const ratios: number[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < RUNS) {
      next++;
      const head = await counts();
      const verdict = decide(base, head, { threshold: TOLERANCE, aligned: true }); // as `check` compares counts
      tally.set(verdict.kind, (tally.get(verdict.kind) ?? 0) + 1);
      ratios.push(median(head) / median(base));
      // One line per run as it ends, so a calibration cut short still reports what it measured.
      console.log(`  ${label} run ${ratios.length}: ${verdict.kind} (${verdict.explanation})`);
      worstNoise = Math.max(worstNoise, relativeNoise(head));
    }
  };
  await Promise.all(Array.from({ length: PARALLEL }, worker));
  console.log(
    `${label}: ${JSON.stringify(Object.fromEntries(tally))}; head ÷ baseline ${Math.min(...ratios).toFixed(5)} … ${Math.max(...ratios).toFixed(5)}`,
  );
}
stopHogs();
console.log(
  `worst per-sample noise (MAD / median): ${(worstNoise * 100).toFixed(4)} %; ${((Date.now() - started) / 60_000).toFixed(1)} min`,
);
