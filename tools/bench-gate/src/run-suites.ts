import { fork } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { PerflayerConfigError } from "@perflayer/core";
import { stopOnExit } from "./exit-cleanup.js";
import { fingerprintEnvironment } from "./results.js";
import type { EnvironmentFingerprint, ResultsFile } from "./results.js";
import { processesOf } from "./runners.js";
import type { Sample } from "./runners.js";
import { seededRandom } from "./statistics.js";
import type { BatchItem, ChildReport, ChildRequest, ListedBenchmark } from "./suite-child.js";
import type { MeasureMode } from "./suite.js";
import { pairSeed, seedFlags } from "./pair-seeds.js";
import { COUNTING_PER_CORE, countingSlots } from "./process-slots.js";
import {
  INSTRUCTIONS_NODE_FLAGS,
  VALGRIND_MISSING,
  callgrindArgs,
  switchInstrumentationOn,
  valgrindCommand,
} from "./valgrind.js";
import { confirmed, judgeTarget } from "./verdict.js";
import type { Target, Verdict } from "./verdict.js";

/** How much sampling a run does. */
export type RunMode = "quick" | "full";

/** Sampling settings per mode (quick: `bench-gate check`; full: `bench-gate run`, `pnpm bench`). */
export const MODES: Readonly<
  Record<RunMode, Omit<ChildRequest, "file" | "benchmark" | "seed" | "side" | "callgrindDir">>
> = {
  quick: {
    quick: true,
    forks: 2,
    sampleMs: 20,
    minSamples: 10,
    maxSamples: 30,
    maxTimeMs: 4_000,
    targetWidth: 0.04,
    sampleInstructions: 1_000_000,
  },
  full: {
    quick: false,
    forks: 3,
    sampleMs: 100,
    minSamples: 12,
    maxSamples: 40,
    maxTimeMs: 20_000,
    targetWidth: 0.02,
    sampleInstructions: 10_000_000,
  },
};

/** Options of {@link runSuites}. */
export interface RunSuitesOptions {
  /** Suite files (exporting `suite`); TypeScript files get tsx's loader when it is installed. */
  readonly files: readonly string[];
  /** Quick (fewer, shorter samples; benchmarks marked `quick: false` skipped) or full. */
  readonly mode: RunMode;
  /** A target counts as missed only beyond it by more than this fraction (the profile's tolerance). */
  readonly tolerance: number;
  /**
   * The same tolerance for instructions benchmarks, whose counts are steadier than any timing.
   * @defaultValue 0.01
   */
  readonly instructionsTolerance?: number;
  /** Only benchmarks whose id (`suite › name`) contains this text. */
  readonly filter?: string;
  /** A benchmark taking longer is killed and reported as an error. @defaultValue 120_000 */
  readonly timeoutMs?: number;
  /** Working directory the files are resolved against. @defaultValue process.cwd() */
  readonly cwd?: string;
  /** Node flags of the benchmark processes. @defaultValue this process's flags */
  readonly execArgv?: readonly string[];
  /** Progress messages. */
  readonly onProgress?: (message: string) => void;
}

/** One benchmark's outcome. */
export interface BenchmarkResult {
  /** `suite › name`, unique in a run. */
  readonly id: string;
  /** The suite file (absolute). */
  readonly file: string;
  /** Whether each contender ran in processes of its own. */
  readonly isolate?: boolean;
  /**
   * Isolated and timed: the `i`-th process of each contender ran with the same V8 hash and random
   * seeds (different for every `i`), and the target was judged pair by pair.
   */
  readonly seededPairs?: boolean;
  /** Fresh processes the samples came from (per contender when isolated). */
  readonly forks: number;
  /** What the samples count: time, or CPU instructions under callgrind. @defaultValue "time" */
  readonly measure?: MeasureMode;
  /** Why it did not run although nothing is wrong with it (an instructions benchmark without valgrind). */
  readonly notRun?: string;
  /** The suite's name. */
  readonly suite: string;
  /** The benchmark's name. */
  readonly name: string;
  /** Unit of the samples (lower is better). */
  readonly unit: string;
  /** What the anchor is, when there is one. */
  readonly anchorName?: string;
  /** The declared target. */
  readonly target?: Target;
  /** Our samples. */
  readonly ours: readonly Sample[];
  /** The anchor's samples, taken interleaved with ours (paired by index). */
  readonly anchor?: readonly Sample[];
  /** The target's verdict (after a confirming re-run if it was missed). */
  readonly verdict?: Verdict;
  /** What the confirming re-run said, when there was one. */
  readonly confirmation?: Verdict;
  /** Why it could not be measured (it threw, crashed or timed out). */
  readonly error?: string;
}

/** A run of suites. */
export interface SuiteRun {
  /** Where it ran. */
  readonly environment: EnvironmentFingerprint;
  /** How much it sampled. */
  readonly mode: RunMode;
  /** When it finished (ISO time). */
  readonly savedAt: string;
  /** One entry per benchmark, in suite order. */
  readonly results: readonly BenchmarkResult[];
}

const fromSource = import.meta.url.endsWith(".ts");
const CHILD = fileURLToPath(
  new URL(fromSource ? "./suite-child.ts" : "./suite-child.js", import.meta.url),
);

/** tsx's loader as a file URL, looked up from each of `from` in turn. */
function tsxLoader(from: readonly string[]): string | undefined {
  for (const dir of from) {
    try {
      return pathToFileURL(createRequire(join(dir, "package.json")).resolve("tsx")).href;
    } catch {
      // not installed there
    }
  }
  return undefined;
}

/**
 * The benchmark process's Node flags: this process's, plus tsx for a TypeScript suite when no
 * loader is active and tsx is installed (otherwise the child explains what to do), plus the source
 * condition when bench-gate itself runs from source (its own tests).
 */
function childExecArgv(file: string, options: RunSuitesOptions): string[] {
  const argv = [...(options.execArgv ?? process.execArgv)];
  const cwd = options.cwd ?? process.cwd();
  const hasLoader = argv.some((a) => /tsx|ts-node|strip-types|transform-types/.test(a));
  const loader =
    (fromSource || /\.[mc]?tsx?$/.test(file)) && !hasLoader
      ? tsxLoader([cwd, dirname(file), fileURLToPath(new URL(".", import.meta.url))])
      : undefined;
  if (loader !== undefined) argv.push("--import", loader);
  if (fromSource && !argv.some((a) => a.includes("@perflayer/source")))
    argv.push("--conditions=@perflayer/source");
  return argv;
}

/**
 * Runs one request in a fresh benchmark process — under callgrind, with its dumps in a temporary
 * directory removed afterwards, when `measure` is `instructions`.
 */
async function ask(
  request: ChildRequest,
  options: RunSuitesOptions,
  measure: MeasureMode = "time",
): Promise<ChildReport> {
  const valgrind = measure === "instructions" ? valgrindCommand() : undefined;
  if (measure === "instructions" && valgrind === undefined)
    return { kind: "error", message: VALGRIND_MISSING };
  if (valgrind === undefined) return askProcess(request, options);
  return countingSlots.use(async () => {
    const dir = mkdtempSync(join(tmpdir(), "bench-gate-callgrind-"));
    try {
      return await askProcess({ ...request, callgrindDir: dir }, options, {
        execPath: valgrind,
        execArgv: [
          ...callgrindArgs(dir),
          process.execPath,
          ...INSTRUCTIONS_NODE_FLAGS,
          ...childExecArgv(request.file, options),
        ],
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

function askProcess(
  request: ChildRequest,
  options: RunSuitesOptions,
  under?: { readonly execPath: string; readonly execArgv: string[] },
): Promise<ChildReport> {
  const timeoutMs = options.timeoutMs ?? 120_000;
  return new Promise((done) => {
    const child = fork(CHILD, [JSON.stringify(request)], {
      cwd: options.cwd,
      execArgv: under?.execArgv ?? childExecArgv(request.file, options),
      ...(under === undefined ? {} : { execPath: under.execPath }),
      stdio: ["ignore", "ignore", "pipe", "ipc"],
    });
    const stop = stopOnExit(child);
    let stderr = "";
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-2_000);
    });
    let report: ChildReport | undefined;
    child.on("message", (message: ChildReport) => {
      if (message.kind !== "instrument") report = message;
      else if (request.callgrindDir !== undefined && child.pid !== undefined)
        switchInstrumentationOn(child.pid, request.callgrindDir);
    });
    const timer = setTimeout(() => {
      report ??= {
        kind: "error",
        message: `did not finish within ${timeoutMs} ms (killed); give it a smaller workload in quick mode or raise --timeout.`,
      };
      stop();
    }, timeoutMs);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      done(
        report ?? {
          kind: "error",
          message: `the benchmark process exited with ${signal ?? String(code)} before reporting${code === 13 ? " (13: its work never settled — a promise nothing will resolve)" : ""}${stderr.trim() === "" ? "" : `: ${stderr.trim().split("\n").slice(-3).join(" | ")}`}`,
        },
      );
    });
  });
}

/**
 * Measures two single-side requests in fresh processes, `forks` of each, started one at a time in a
 * random order per round (ABBA at the level of processes). Each process builds only its side, warms
 * up, takes a block of samples back to back and exits; the samples are pooled, so they carry the
 * process-to-process variation (JIT decisions differ between runs of the same code) and an interval
 * does not pretend one process is the truth.
 *
 * Timed, the two processes of round `i` form a **pair**: both start with the same V8 hash and random
 * seeds ({@link seedFlags}; different for every pair), one right after the other, and their samples
 * carry the same process number `i` — so a verdict can take the ratio pair by pair, free of what
 * differs between processes with different seeds (a string's hash decides how many probes a lookup
 * takes). Counted in instructions, every process already runs with fixed seeds; the two sides'
 * process numbers then differ (`i` and `100 + i`).
 * @param a - the first side's request (its `side` says which contender to build)
 * @param b - the second side's request
 * @param forks - processes per side
 * @param options - process settings
 * @param measure - time, or instructions under callgrind
 * @returns each side's samples, or why there are none
 */
export async function runAlternating(
  a: ChildRequest,
  b: ChildRequest,
  forks: number,
  options: RunSuitesOptions,
  measure: MeasureMode = "time",
): Promise<{ a: Sample[]; b: Sample[] } | { error: string }> {
  const random = seededRandom(a.seed);
  const block = (request: ChildRequest, fork: number): ChildRequest => {
    const perProcess = Math.max(3, Math.ceil(request.minSamples / forks));
    return {
      ...request,
      minSamples: perProcess,
      maxSamples: perProcess,
      maxTimeMs: request.maxTimeMs / forks,
      seed: request.seed * 1_000 + fork,
    };
  };
  const paired = measure === "time";
  const execArgv = options.execArgv ?? process.execArgv;
  const out = { a: [] as Sample[], b: [] as Sample[] };
  for (let fork = 0; fork < forks; fork++) {
    const order: ("a" | "b")[] = random() < 0.5 ? ["a", "b"] : ["b", "a"];
    const pairOptions = paired
      ? { ...options, execArgv: [...execArgv, ...seedFlags(execArgv, pairSeed(a.seed, fork))] }
      : options;
    for (const key of order) {
      const report = await ask(block(key === "a" ? a : b, fork), pairOptions, measure);
      if (report.kind !== "samples")
        return { error: report.kind === "error" ? report.message : "unexpected report" };
      const process = key === "a" || paired ? fork : 100 + fork;
      out[key].push(...report.ours.map((s) => ({ ...s, process })));
    }
  }
  return out;
}

/** An isolated benchmark: ours and the anchor alternate in processes of their own. */
async function runIsolated(
  request: ChildRequest,
  plan: ProcessPlan,
  options: RunSuitesOptions,
): Promise<{ ours: Sample[]; anchor: Sample[] } | { error: string }> {
  const result = await runAlternating(
    { ...request, side: "ours" },
    { ...request, side: "anchor" },
    plan.forks,
    options,
    plan.measure,
  );
  return "error" in result ? result : { ours: result.a, anchor: result.b };
}

/** How long loading a suite file to list its benchmarks may take. */
const LIST_TIMEOUT_MS = 60_000;

/**
 * Lists a suite file's benchmarks (in a fresh process, like everything that imports a suite).
 * @param file - the suite file
 * @param options - how to start the process
 * @returns the suite's name and benchmarks
 */
export async function listSuite(
  file: string,
  options: Omit<RunSuitesOptions, "files" | "mode" | "tolerance">,
): Promise<{ suite: string; benchmarks: ListedBenchmark[] }> {
  // Listing only loads the file: the per-benchmark timeout is for measuring, and a cold start of a
  // TypeScript loader on a busy machine can take longer than a short one.
  const report = await ask(
    { file, ...MODES.quick, seed: 1 },
    {
      ...options,
      files: [],
      mode: "quick",
      tolerance: 0,
      timeoutMs: Math.max(options.timeoutMs ?? LIST_TIMEOUT_MS, LIST_TIMEOUT_MS),
    },
  );
  if (report.kind === "error")
    throw new PerflayerConfigError("ERR_SUITE", `${file}: ${report.message}`);
  if (report.kind !== "list")
    throw new PerflayerConfigError("ERR_SUITE", `${file}: unexpected report.`);
  return report;
}

/** How a benchmark is spread over processes. */
export interface ProcessPlan {
  /** Each contender in processes of its own. */
  readonly isolate: boolean;
  /** Fresh processes (per contender when isolated). */
  readonly forks: number;
  /** Time, or instructions under callgrind. @defaultValue "time" */
  readonly measure?: MeasureMode;
}

/**
 * The process plan of a listed benchmark in a mode. An instructions benchmark uses 1 process (per
 * contender when isolated): with V8's hash and random seeds fixed its counts agree between processes
 * (171.644, 171.647 and 171.644 instructions per call in three), and each process under callgrind
 * costs seconds of start-up.
 * @param listed - what the benchmark declares
 * @param mode - quick or full
 * @returns isolation and process count
 */
export function planFor(
  listed: Pick<ListedBenchmark, "isolate" | "forks" | "measure">,
  mode: RunMode,
): ProcessPlan {
  const instructions = listed.measure === "instructions";
  return {
    isolate: listed.isolate,
    forks: listed.forks ?? (instructions ? 1 : listed.isolate ? 4 : MODES[mode].forks),
    measure: listed.measure,
  };
}

/**
 * Measures one benchmark in fresh processes: `forks` of them one after another, each sampling
 * both contenders interleaved, samples pooled — or, isolated, `forks` per contender used in turn.
 * @param file - its suite file
 * @param name - its name
 * @param options - mode and process settings
 * @param seed - seed of the interleaving order
 * @param plan - isolation and process count
 * @returns the samples, or why there are none
 */
export async function runBenchmark(
  file: string,
  name: string,
  options: RunSuitesOptions,
  seed = 1,
  plan: ProcessPlan = { isolate: false, forks: 1 },
): Promise<{ ours: Sample[]; anchor?: Sample[] } | { error: string }> {
  const mode = MODES[options.mode];
  const request: ChildRequest = { file, benchmark: name, ...mode, seed };
  if (plan.isolate) return runIsolated(request, plan, options);
  const ours: Sample[] = [];
  const anchor: Sample[] = [];
  for (let fork = 0; fork < plan.forks; fork++) {
    const report = await ask(
      {
        ...request,
        seed: seed * 1_000 + fork,
        minSamples: Math.max(3, Math.ceil(mode.minSamples / plan.forks)),
        maxSamples: Math.max(3, Math.ceil(mode.maxSamples / plan.forks)),
        maxTimeMs: mode.maxTimeMs / plan.forks,
      },
      options,
      plan.measure,
    );
    if (report.kind !== "samples")
      return { error: report.kind === "error" ? report.message : "unexpected report" };
    ours.push(...report.ours.map((s) => ({ ...s, process: fork })));
    anchor.push(...(report.anchor ?? []).map((s) => ({ ...s, process: fork })));
  }
  return anchor.length === 0 ? { ours } : { ours, anchor };
}

/** Samples of a benchmark, or why there are none. */
export type Measured = { ours: Sample[]; anchor?: Sample[] } | { error: string };

/**
 * Counts a suite file's instructions benchmarks in as few processes under callgrind as isolation
 * allows (start-up costs seconds there): one process for the benchmarks measured side by side and
 * our side of the isolated ones, one for the isolated ones' anchors. Within a process the
 * benchmarks are built first, then counted in suite order, so every run counts the same way.
 * @param file - the suite file
 * @param listed - its instructions benchmarks, in suite order
 * @param options - mode and process settings
 * @param seed - seed of the interleaving order
 * @returns each benchmark's samples (by name), or why there are none
 */
export async function runInstructionBatch(
  file: string,
  listed: readonly Pick<ListedBenchmark, "name" | "isolate">[],
  options: RunSuitesOptions,
  seed = 1,
): Promise<Map<string, Measured>> {
  const request: ChildRequest = {
    file,
    ...MODES[options.mode],
    minSamples: INSTRUCTIONS_SAMPLES,
    maxSamples: INSTRUCTIONS_SAMPLES,
    seed,
  };
  // Under callgrind a benchmark runs tens of times slower: 5× the time budget each, times the
  // processes that share a core at once (each gets a share of it: at a load of 50 on 2 cores, two
  // one-benchmark batches were killed at 600 s, a few seconds of their own CPU short of the end).
  const processOptions = {
    ...options,
    timeoutMs: (options.timeoutMs ?? 120_000) * 5 * listed.length * COUNTING_PER_CORE,
  };
  const sides = async (batch: BatchItem[]): Promise<Map<string, Measured>> => {
    const out = new Map<string, Measured>();
    if (batch.length === 0) return out;
    const report = await ask({ ...request, batch }, processOptions, "instructions");
    for (const item of batch) {
      const found =
        report.kind === "batch"
          ? report.results.find((r) => r.name === item.name)
          : { error: report.kind === "error" ? report.message : "unexpected report" };
      out.set(item.name, found ?? { error: "missing from the batch's report" });
    }
    return out;
  };
  // Both processes at once: a count does not depend on the machine's load, and each process under
  // callgrind uses one core.
  const [ours, anchors] = await Promise.all([
    sides(listed.map((b) => (b.isolate ? { name: b.name, side: "ours" } : { name: b.name }))),
    sides(listed.filter((b) => b.isolate).map((b) => ({ name: b.name, side: "anchor" }))),
  ]);
  const out = new Map<string, Measured>();
  for (const b of listed) {
    const own = ours.get(b.name) ?? { error: "not measured" };
    const theirs = anchors.get(b.name);
    // Process numbers as runAlternating gives them: 0 for ours (and side by side), 100 for anchors.
    const tag = (list: Sample[], process: number): Sample[] => list.map((s) => ({ ...s, process }));
    out.set(
      b.name,
      "error" in own
        ? own
        : theirs === undefined
          ? {
              ours: tag(own.ours, 0),
              ...(own.anchor === undefined ? {} : { anchor: tag(own.anchor, 0) }),
            }
          : "error" in theirs
            ? theirs
            : { ours: tag(own.ours, 0), anchor: tag(theirs.ours, 100) },
    );
  }
  return out;
}

/**
 * The tolerance a benchmark is judged with: the profile's for time, the (tighter) instructions one
 * for instruction counts.
 * @param measure - what the benchmark counts
 * @param options - the run's tolerances
 * @returns a fraction
 */
export function toleranceFor(
  measure: MeasureMode | undefined,
  options: Pick<RunSuitesOptions, "tolerance" | "instructionsTolerance">,
): number {
  return measure === "instructions"
    ? (options.instructionsTolerance ?? INSTRUCTIONS_TOLERANCE)
    : options.tolerance;
}

/** Samples of an instructions benchmark (per side): after warm-up they differ by < 0.01 %. */
const INSTRUCTIONS_SAMPLES = 5;

/** The default tolerance of instructions benchmarks: 1 %, over 3× their measured noise. */
export const INSTRUCTIONS_TOLERANCE = 0.01;

/**
 * Whether a benchmark's contenders run in seeded pairs of processes (see {@link runAlternating}):
 * isolated and timed.
 * @param plan - its process plan
 * @returns true when its target is judged pair by pair
 */
function inSeededPairs(plan: ProcessPlan): boolean {
  return plan.isolate && (plan.measure ?? "time") === "time";
}

function judge(
  listed: ListedBenchmark,
  samples: { ours: readonly Sample[]; anchor?: readonly Sample[] },
  tolerance: number,
  paired: boolean,
): Verdict | undefined {
  if (listed.target === undefined || samples.anchor === undefined) return undefined;
  const anchor = processesOf(samples.anchor);
  const ours = processesOf(samples.ours);
  return judgeTarget(
    samples.anchor.map((s) => s.value),
    samples.ours.map((s) => s.value),
    listed.target,
    {
      tolerance,
      unit: listed.unit,
      // Side by side in one process, or isolated in pairs of processes with the same seeds, one
      // right after the other: a process (pair) is resampled as one.
      paired,
      processes: {
        ...(anchor === undefined ? {} : { anchor }),
        ...(ours === undefined ? {} : { ours }),
      },
    },
  );
}

/**
 * Runs suite files: every benchmark in its own fresh process, contenders interleaved round by round,
 * declared targets judged, and a missed target re-run once from scratch before it is reported. A
 * benchmark that throws, crashes or times out is reported with its reason; the others still run.
 * @param options - files, mode, tolerance
 * @returns every benchmark's samples and verdicts
 */
export async function runSuites(options: RunSuitesOptions): Promise<SuiteRun> {
  const results: BenchmarkResult[] = [];
  const ids = new Set<string>();
  // Listed all at once: each listing is a process of its own (node and a TypeScript loader starting,
  // seconds on a busy machine), and nothing is measured while they run.
  const listed = await Promise.allSettled(
    options.files.map(async (relative) => {
      const file = resolve(options.cwd ?? process.cwd(), relative);
      return { file, ...(await listSuite(file, options)) };
    }),
  );
  const files = listed.map((outcome) => {
    if (outcome.status === "rejected") throw outcome.reason;
    return outcome.value;
  });
  const wanted = (suite: string, b: ListedBenchmark): boolean =>
    (options.filter === undefined || `${suite} › ${b.name}`.includes(options.filter)) &&
    (options.mode !== "quick" || b.quick);
  // Every file's instructions batch first, all at once (one process per core at a time), and only
  // then the timed benchmarks: a count does not mind the load, a timing does.
  const batchesOf = new Map<string, Map<number, Promise<Map<string, Measured>>>>();
  const start = (
    file: string,
    benchmarks: readonly ListedBenchmark[],
    seed: number,
  ): Promise<Map<string, Measured>> => {
    // Every instructions benchmark of the file, whatever the filter or mode: a count depends on
    // what else the process ran (type feedback shared by the code under test), so the batch must be
    // the same in every run for counts to compare (one benchmark alone counted 442 instructions per
    // call, 495 beside four others).
    const counted = benchmarks.filter((b) => b.measure === "instructions");
    const batches = batchesOf.get(file) ?? new Map<number, Promise<Map<string, Measured>>>();
    batchesOf.set(file, batches);
    let running = batches.get(seed);
    if (running === undefined) {
      running = runInstructionBatch(file, counted, options, seed);
      batches.set(seed, running);
    }
    return running;
  };
  if (valgrindCommand() !== undefined)
    await Promise.all(
      files
        .filter(({ suite, benchmarks }) =>
          benchmarks.some((b) => b.measure === "instructions" && wanted(suite, b)),
        )
        .map(({ file, benchmarks }) => start(file, benchmarks, 1)),
    );
  for (const { file, suite, benchmarks } of files) {
    const batch = async (seed: number, name: string): Promise<Measured> =>
      (await start(file, benchmarks, seed)).get(name) ?? { error: "not measured" };
    const measured = (name: string, seed: number, plan: ProcessPlan): Promise<Measured> =>
      plan.measure === "instructions"
        ? batch(seed, name)
        : runBenchmark(file, name, options, seed, plan);
    for (const listed of benchmarks) {
      const id = `${suite} › ${listed.name}`;
      if (ids.has(id))
        throw new PerflayerConfigError(
          "ERR_SUITE",
          `Two benchmarks are named "${id}"; suite names must differ between files.`,
        );
      ids.add(id);
      if (!wanted(suite, listed)) continue;
      options.onProgress?.(id);
      const plan = planFor(listed, options.mode);
      const base = {
        id,
        file,
        suite,
        name: listed.name,
        unit: listed.unit,
        ...(listed.anchor === undefined ? {} : { anchorName: listed.anchor }),
        ...(listed.target === undefined ? {} : { target: listed.target }),
        ...(listed.isolate ? { isolate: true } : {}),
        ...(inSeededPairs(plan) ? { seededPairs: true } : {}),
        forks: plan.forks,
        measure: listed.measure,
      };
      if (listed.measure === "instructions" && valgrindCommand() === undefined) {
        results.push({ ...base, ours: [], notRun: VALGRIND_MISSING });
        continue;
      }
      const tolerance = toleranceFor(listed.measure, options);
      const first = await measured(listed.name, 1, plan);
      if ("error" in first) {
        results.push({ ...base, ours: [], error: first.error });
        continue;
      }
      const paired = !listed.isolate || inSeededPairs(plan);
      const verdict = judge(listed, first, tolerance, paired);
      if (verdict?.kind !== "target missed") {
        results.push({ ...base, ...first, ...(verdict === undefined ? {} : { verdict }) });
        continue;
      }
      options.onProgress?.(`${id}: target missed, re-running to confirm`);
      const again = await measured(listed.name, 2, plan);
      const confirmation = "error" in again ? undefined : judge(listed, again, tolerance, paired);
      results.push({
        ...base,
        ...first,
        verdict: confirmed(verdict, confirmation),
        ...(confirmation === undefined ? {} : { confirmation }),
      });
    }
  }
  return {
    environment: fingerprintEnvironment(),
    mode: options.mode,
    savedAt: new Date().toISOString(),
    results,
  };
}

/**
 * The run as a results file (`bench-gate compare --base/--head`, `baseline save`).
 * @param run - a suite run
 * @returns its samples per benchmark id, anchors and units alongside
 */
export function toResultsFile(run: SuiteRun): ResultsFile {
  const benchmarks: Record<string, number[]> = {};
  const anchors: Record<string, number[]> = {};
  const processes: Record<string, number[]> = {};
  const anchorProcesses: Record<string, number[]> = {};
  const units: Record<string, string> = {};
  for (const r of run.results) {
    if (r.ours.length === 0) continue;
    benchmarks[r.id] = r.ours.map((s) => s.value);
    const own = processesOf(r.ours);
    if (own !== undefined) processes[r.id] = own;
    if (r.anchor !== undefined) {
      anchors[r.id] = r.anchor.map((s) => s.value);
      const theirs = processesOf(r.anchor);
      if (theirs !== undefined) anchorProcesses[r.id] = theirs;
    }
    units[r.id] = r.unit;
  }
  return {
    format: "perflayer-bench-gate/1",
    environment: run.environment,
    mode: run.mode,
    benchmarks,
    anchors,
    processes,
    anchorProcesses,
    units,
    savedAt: run.savedAt,
  };
}
