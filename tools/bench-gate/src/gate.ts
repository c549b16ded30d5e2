import type { EnvironmentFingerprint, LoadedResults } from "./results.js";
import { runBenchmark, runInstructionBatch, runSuites, toleranceFor } from "./run-suites.js";
import type { Measured } from "./run-suites.js";
import type { BenchmarkResult, RunSuitesOptions, SuiteRun } from "./run-suites.js";
import { INSTRUCTIONS_UNIT } from "./suite.js";
import { processesOf } from "./runners.js";
import type { Sample } from "./runners.js";

/** `{ [key]: value }` when there is a value, else nothing (for optional properties). */
function optional<K extends string>(
  key: K,
  value: readonly number[] | undefined,
): Partial<Record<K, readonly number[]>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, readonly number[]>);
}
import { confirmed, decide } from "./verdict.js";
import type { Verdict } from "./verdict.js";

/** A benchmark measured against the baseline. */
export type BaselineComparison =
  | {
      /** How the two runs were compared. */
      readonly basis: "ratio to anchor" | "absolute";
      /** The verdict (base = baseline, head = this run), after a confirming re-run if it regressed. */
      readonly verdict: Verdict;
      /** What the confirming re-run said, when there was one. */
      readonly confirmation?: Verdict;
    }
  | {
      /** Why it was not compared. */
      readonly note: string;
    };

/** Whether two fingerprints are the same kind of machine (the profile only sets tolerances). */
export function sameMachine(a: EnvironmentFingerprint, b: EnvironmentFingerprint): boolean {
  return a.node === b.node && a.cpu === b.cpu && a.cores === b.cores;
}

/**
 * Compares one benchmark with the baseline. With an anchor on both sides, ours relative to the
 * anchor is compared (a ratio of ratios), which cancels most of the difference between machines; without one,
 * absolute figures are compared only when both runs come from the same kind of machine.
 * @param result - this run's result
 * @param baseline - the stored baseline
 * @param environment - where this run happened
 * @param threshold - a slowdown beyond this fraction is a regression
 * @returns the comparison, or why there is none
 */
export function compareWithBaseline(
  result: Pick<BenchmarkResult, "id" | "ours" | "anchor" | "isolate"> &
    Partial<Pick<BenchmarkResult, "unit">>,
  baseline: LoadedResults,
  environment: EnvironmentFingerprint,
  threshold: number,
): BaselineComparison {
  const before = baseline.benchmarks[result.id];
  if (before === undefined)
    return { note: "not in the baseline (new benchmark); save a new baseline to gate it" };
  const unitBefore = baseline.units?.[result.id];
  if (unitBefore !== undefined && result.unit !== undefined && unitBefore !== result.unit)
    return {
      note: `the baseline measured ${unitBefore} and this run ${result.unit} (its measure changed); save a new baseline to gate it`,
    };
  const ours = result.ours.map((s) => s.value);
  const beforeAnchor = baseline.anchors?.[result.id];
  const processes = {
    ...optional("base", baseline.processes?.[result.id]),
    ...optional("head", processesOf(result.ours)),
    ...optional("baseAnchor", baseline.anchorProcesses?.[result.id]),
    ...optional("headAnchor", result.anchor === undefined ? undefined : processesOf(result.anchor)),
  };
  // Ours and the anchor ran side by side in each process unless the benchmark is isolated.
  const paired = result.isolate !== true;
  const sameKind =
    baseline.environment === undefined || sameMachine(baseline.environment, environment);
  // Counts do not depend on the machine's speed: on the same kind of machine they are compared as
  // they are (relative to the anchor they would carry its own spread: Buffer.alloc's count moves by
  // 1.5 % between runs). They are near-exact and take the same few values in every run (a step that
  // evicts less is cheap in every run, at whatever index), so they are paired value by value in
  // sorted order, and the interval decides.
  if (result.unit === INSTRUCTIONS_UNIT && sameKind) {
    const byValue = (values: readonly number[]): number[] => [...values].sort((a, b) => a - b);
    return {
      basis: "absolute",
      verdict: decide(byValue(before), byValue(ours), { threshold, processes, aligned: true }),
    };
  }
  if (beforeAnchor !== undefined && result.anchor !== undefined)
    return {
      basis: "ratio to anchor",
      verdict: decide(before, ours, {
        threshold,
        anchors: { base: beforeAnchor, head: result.anchor.map((s) => s.value) },
        processes,
        paired,
      }),
    };
  if (!sameKind)
    return {
      note: `absolute figures from another machine (${baseline.environment.cpu}, node ${baseline.environment.node}) are not compared; give the benchmark an anchor or save the baseline here`,
    };
  return { basis: "absolute", verdict: decide(before, ours, { threshold, processes }) };
}

/** Options of {@link checkSuites}. */
export interface CheckOptions extends RunSuitesOptions {
  /** The committed baseline, when there is one. */
  readonly baseline?: LoadedResults;
  /** A slowdown against the baseline beyond this fraction is a regression. */
  readonly threshold: number;
}

/** What {@link checkSuites} found. */
export interface CheckReport {
  /** The run, with target verdicts. */
  readonly run: SuiteRun;
  /** Per benchmark id, the comparison with the baseline. */
  readonly baseline: ReadonlyMap<string, BaselineComparison>;
  /** Things the reader should know (e.g. the baseline comes from another mode). */
  readonly warnings: readonly string[];
  /** Benchmark ids that fail the gate, with the reason. */
  readonly failures: readonly string[];
}

/**
 * The gate: runs the suites, judges declared targets (a miss is re-run once before it counts),
 * compares with the baseline (a regression is re-run once before it counts), and lists what fails:
 * a confirmed missed target, a confirmed regression, or a benchmark that could not be measured.
 * @param options - suites, mode, tolerances and the baseline
 * @returns the run, the baseline comparisons and the failures
 */
export async function checkSuites(options: CheckOptions): Promise<CheckReport> {
  const run = await runSuites(options);
  const warnings: string[] = [];
  const comparisons = new Map<string, BaselineComparison>();
  const { baseline } = options;
  if (baseline?.mode !== undefined && baseline.mode !== run.mode)
    warnings.push(
      `the baseline was recorded in ${baseline.mode} mode and this run is ${run.mode}: compare like with like (save the baseline from a ${run.mode} run).`,
    );
  const batches = new Map<string, Promise<Map<string, Measured>>>();
  if (baseline !== undefined) {
    for (const result of run.results) {
      if (result.error !== undefined || result.notRun !== undefined) continue;
      const threshold = toleranceFor(result.measure, {
        tolerance: options.threshold,
        ...(options.instructionsTolerance === undefined
          ? {}
          : { instructionsTolerance: options.instructionsTolerance }),
      });
      let comparison = compareWithBaseline(result, baseline, run.environment, threshold);
      if ("verdict" in comparison && comparison.verdict.kind === "regression") {
        options.onProgress?.(`${result.id}: slower than the baseline, re-running to confirm`);
        const again = await rerun(result, options, run, batches);
        const second =
          again === undefined
            ? undefined
            : compareWithBaseline({ ...result, ...again }, baseline, run.environment, threshold);
        const confirmation =
          second !== undefined && "verdict" in second ? second.verdict : undefined;
        comparison = {
          ...comparison,
          verdict: confirmed(comparison.verdict, confirmation),
          ...(confirmation === undefined ? {} : { confirmation }),
        };
      }
      comparisons.set(result.id, comparison);
    }
  }
  const failures: string[] = [];
  // Like the Redis tests: a benchmark that cannot run here is a note locally and a failure under CI.
  const ci = process.env["CI"] !== undefined;
  for (const result of run.results) {
    if (result.notRun !== undefined) {
      if (ci) failures.push(`${result.id}: did not run (CI is set): ${result.notRun}`);
      else warnings.push(`${result.id}: ${result.notRun}.`);
    }
    if (result.error !== undefined)
      failures.push(`${result.id}: could not be measured: ${result.error}`);
    if (result.verdict?.kind === "target missed")
      failures.push(`${result.id}: ${result.verdict.explanation}`);
    const comparison = comparisons.get(result.id);
    if (
      comparison !== undefined &&
      "verdict" in comparison &&
      comparison.verdict.kind === "regression"
    )
      failures.push(`${result.id}: slower than the baseline: ${comparison.verdict.explanation}`);
  }
  return { run, baseline: comparisons, warnings, failures };
}

/**
 * Re-runs one benchmark from scratch; an instructions benchmark with its whole batch (the suite
 * file's other instructions benchmarks), so that it is counted exactly as the first time.
 */
async function rerun(
  result: BenchmarkResult,
  options: CheckOptions,
  run: SuiteRun,
  batches: Map<string, Promise<Map<string, Measured>>>,
): Promise<{ ours: Sample[]; anchor?: Sample[] } | undefined> {
  if (result.measure === "instructions") {
    if (!batches.has(result.file)) {
      const batch = run.results.filter(
        (r) => r.file === result.file && r.measure === "instructions" && r.notRun === undefined,
      );
      const listed = batch.map((r) => ({ name: r.name, isolate: r.isolate === true }));
      batches.set(result.file, runInstructionBatch(result.file, listed, options, 3));
    }
    const again = (await batches.get(result.file))?.get(result.name);
    return again === undefined || "error" in again ? undefined : again;
  }
  const again = await runBenchmark(result.file, result.name, options, 3, {
    isolate: result.isolate === true,
    forks: result.forks,
    ...(result.measure === undefined ? {} : { measure: result.measure }),
  });
  return "error" in again ? undefined : again;
}
