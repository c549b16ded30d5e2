// The process one benchmark runs in (forked by run-suites.ts): imports the suite file, builds the
// contenders, samples them interleaved, and reports over IPC. Also lists a suite's benchmarks.
import { pathToFileURL } from "node:url";
import { PerflayerError } from "@perflayer/core";
import { sampleInterleaved } from "./compare.js";
import { countGcs } from "./runners.js";
import type { Runner, Sample } from "./runners.js";
import { median, medianNoise } from "./statistics.js";
import { asyncInstructionLoop, instructionLoop, instrumentationOn } from "./instruction-loop.js";
import { INSTRUCTIONS_UNIT, asyncOpLoop, opLoop } from "./suite.js";
import { isTinybench, tinybenchSuite } from "./tinybench-suite.js";
import { isTimeUnit } from "./verdict.js";
import type { TinybenchTargets } from "./tinybench-suite.js";
import type {
  BenchmarkDefinition,
  Contenders,
  Measure,
  MeasureMode,
  SetupContext,
  Suite,
} from "./suite.js";

/** What the parent asks for (argv[2], JSON). */
export interface ChildRequest {
  readonly file: string;
  /** Absent: list the suite's benchmarks. */
  readonly benchmark?: string;
  readonly quick: boolean;
  readonly sampleMs: number;
  readonly minSamples: number;
  readonly maxSamples: number;
  readonly maxTimeMs: number;
  readonly targetWidth: number;
  readonly seed: number;
  /** Processes the benchmark is spread over (unless it declares its own). */
  readonly forks: number;
  /** Measure only this contender of an isolated benchmark. */
  readonly side?: "ours" | "anchor";
  /** Instructions one sample of an instructions benchmark should count. */
  readonly sampleInstructions: number;
  /** Set when this process runs under callgrind: where its dumps go. */
  readonly callgrindDir?: string;
  /** Measure these benchmarks, one after another, in this process (instead of `benchmark`). */
  readonly batch?: readonly BatchItem[];
}

/** One benchmark of a batch: by name, one side only for an isolated one. */
export interface BatchItem {
  readonly name: string;
  readonly side?: "ours" | "anchor";
}

/** What a batch measured of one benchmark. */
export type BatchResult =
  | { readonly name: string; readonly ours: Sample[]; readonly anchor?: Sample[] }
  | { readonly name: string; readonly error: string };

/** A benchmark as listed. */
export interface ListedBenchmark {
  readonly name: string;
  readonly unit: string;
  readonly anchor?: string;
  readonly target?: BenchmarkDefinition["target"];
  readonly quick: boolean;
  /** What its samples count. */
  readonly measure: MeasureMode;
  /** Each contender in processes of its own. */
  readonly isolate: boolean;
  /** Processes declared by the benchmark, if any. */
  readonly forks?: number;
}

/** What the child reports. */
export type ChildReport =
  | { readonly kind: "list"; readonly suite: string; readonly benchmarks: ListedBenchmark[] }
  | { readonly kind: "samples"; readonly ours: Sample[]; readonly anchor?: Sample[] }
  | { readonly kind: "batch"; readonly results: BatchResult[] }
  | { readonly kind: "error"; readonly message: string }
  /** Not a report: asks the parent to switch callgrind's instrumentation on (instructions mode). */
  | { readonly kind: "instrument" };

function isSuite(value: unknown): value is Suite {
  const v = value as Partial<Suite> | null;
  return (
    typeof v === "object" && v !== null && typeof v.name === "string" && Array.isArray(v.benchmarks)
  );
}

async function loadSuite(file: string): Promise<Suite> {
  let mod: { suite?: unknown; bench?: unknown; targets?: TinybenchTargets; default?: unknown };
  try {
    mod = (await import(pathToFileURL(file).href)) as typeof mod;
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === "ERR_UNKNOWN_FILE_EXTENSION")
      throw new PerflayerError(
        "ERR_SUITE",
        `${file}: Node cannot load this file type by itself. Run bench-gate under a TypeScript loader, e.g. \`tsx node_modules/.bin/bench-gate run ${file}\`.`,
      );
    throw error;
  }
  const bench = mod.bench ?? mod.default;
  if (mod.suite === undefined && isTinybench(bench))
    return tinybenchSuite(bench, file, mod.targets);
  const suite = mod.suite ?? mod.default;
  if (!isSuite(suite))
    throw new PerflayerError(
      "ERR_SUITE",
      `${file}: Expected a suite exported as \`suite\` (export const suite = defineSuite({ name, benchmarks })) or as the default export, or a tinybench Bench exported as \`bench\`.`,
    );
  return suite;
}

/** Times a measure, adding CPU time (in the same unit, for time units), heap and its window. */
function toRunner(
  measure: Measure,
  unit: string,
  windows: Map<Sample, readonly [number, number]>,
): Runner {
  const timeUnit = isTimeUnit(unit);
  return async () => {
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const result = await measure();
    const t1 = performance.now();
    const used = process.cpuUsage(cpu0);
    const own: Sample = typeof result === "number" ? { value: result } : result;
    if (!Number.isFinite(own.value))
      throw new PerflayerError(
        "ERR_SUITE",
        `a measure returned ${String(own.value)}; return a finite number in the benchmark's unit.`,
      );
    const cpuMs = (used.user + used.system) / 1000;
    const sample: Sample = {
      ...own,
      ...(own.cpu === undefined && timeUnit && t1 > t0
        ? { cpu: (cpuMs * own.value) / (t1 - t0) }
        : {}),
      heapMb: own.heapMb ?? process.memoryUsage().heapUsed / 1_048_576,
    };
    windows.set(sample, [t0, t1]);
    return sample;
  };
}

/**
 * Samples one contender until the median's interval is tight, the round limit or the budget, after
 * `warmup` samples that are discarded.
 */
async function sampleAlone(
  runner: Runner,
  request: ChildRequest,
  warmup: number,
): Promise<Sample[]> {
  for (let w = 0; w < warmup; w++) await runner();
  const deadline = performance.now() + request.maxTimeMs;
  const out: Sample[] = [];
  while (out.length < request.maxSamples) {
    out.push(await runner());
    if (out.length < request.minSamples) continue;
    const values = out.map((s) => s.value);
    const width = 2 * 1.96 * medianNoise({ values });
    if (width < request.targetWidth || performance.now() > deadline || !(median(values) > 0)) break;
  }
  return out;
}

/** Stands for the side an isolated benchmark's process does not serve; never measured. */
const placeholder: Measure = () => Number.NaN;

/** The contenders: from `setup`, or from each side's builder (only `side`'s when serving one). */
async function build(
  definition: BenchmarkDefinition,
  context: SetupContext,
  side: ChildRequest["side"],
): Promise<Contenders> {
  if (definition.setup !== undefined) return definition.setup(context);
  const builders = definition.contenders;
  if (builders === undefined)
    throw new PerflayerError(
      "ERR_SUITE",
      `benchmark "${definition.name}" has neither setup nor contenders.`,
    );
  const ours = side === "anchor" ? placeholder : await builders.ours(context);
  const anchor =
    builders.anchor === undefined
      ? undefined
      : side === "ours"
        ? placeholder
        : await builders.anchor(context);
  return anchor === undefined ? { ours } : { ours, anchor };
}

/** A benchmark built and checked, ready to be sampled. */
interface Prepared {
  readonly definition: BenchmarkDefinition;
  readonly unit: string;
  readonly contenders: Contenders;
  readonly request: ChildRequest;
}

/** Builds a benchmark's contenders (for `request.side` only, when given) and checks them. */
async function prepare(request: ChildRequest, suite: Suite): Promise<Prepared> {
  const definition = suite.benchmarks.find((b) => b.name === request.benchmark);
  if (definition === undefined)
    throw new PerflayerError(
      "ERR_SUITE",
      `${request.file}: no benchmark named "${String(request.benchmark)}" in suite "${suite.name}".`,
    );
  const mode = definition.measure ?? "time";
  const unit = mode === "instructions" ? INSTRUCTIONS_UNIT : (definition.unit ?? "ns/op");
  const dir = request.callgrindDir;
  if (mode === "instructions" && dir === undefined)
    throw new PerflayerError(
      "ERR_SUITE",
      `benchmark "${definition.name}" counts instructions: run it through bench-gate, which starts it under valgrind's callgrind.`,
    );
  const counted = new WeakSet<Measure>();
  const instructions = { dir: dir ?? "", sampleInstructions: request.sampleInstructions };
  const count = (measure: Measure): Measure => {
    counted.add(measure);
    return measure;
  };
  const context: SetupContext = {
    quick: request.quick,
    sampleMs: request.sampleMs,
    measure: mode,
    loop: (body, options) =>
      dir === undefined
        ? opLoop(body, request.sampleMs)
        : count(instructionLoop(body, instructions, options)),
    asyncLoop: (body, options) =>
      dir === undefined
        ? asyncOpLoop(body, request.sampleMs)
        : count(asyncInstructionLoop(body, instructions, options)),
  };
  const contenders = await build(definition, context, request.side);
  if (mode === "instructions")
    for (const [side, m] of [
      ["ours", contenders.ours],
      ["anchor", contenders.anchor],
    ] as const)
      if (m !== undefined && m !== placeholder && !counted.has(m))
        throw new PerflayerError(
          "ERR_SUITE",
          `benchmark "${definition.name}" counts instructions, but its ${side} measure was not made by loop(body) or asyncLoop(body): return loop((i) => …) from the builder, or measure it in time.`,
        );
  if (contenders.anchor !== undefined && definition.anchor === undefined)
    throw new PerflayerError(
      "ERR_SUITE",
      `benchmark "${definition.name}": it builds an anchor; name it with anchor: "…" in the definition.`,
    );
  if (definition.target !== undefined && contenders.anchor === undefined)
    throw new PerflayerError(
      "ERR_SUITE",
      `benchmark "${definition.name}": it declares a target, so it must build an anchor to compare with.`,
    );
  return { definition, unit, contenders, request };
}

/** Samples a prepared benchmark: interleaved, alone, or one side of an isolated one. */
async function sample({ definition, unit, contenders, request }: Prepared): Promise<ChildReport> {
  const rounds = {
    ...request,
    minSamples: definition.minSamples ?? request.minSamples,
    maxSamples: definition.maxSamples ?? Math.max(request.maxSamples, definition.minSamples ?? 0),
  };
  // A counted loop warms itself up before its first sample (uninstrumented calls, then counts
  // until three agree): a discarded first sample would cost three more counts and change nothing.
  const warmup = unit === INSTRUCTIONS_UNIT ? 0 : 1;
  const windows = new Map<Sample, readonly [number, number]>();
  const gcs = countGcs();
  const withGcs = (list: Sample[]): Sample[] =>
    list.map((s) => {
      const window = windows.get(s);
      return s.gcs !== undefined || window === undefined
        ? s
        : { ...s, gcs: gcs.between(window[0], window[1]) };
    });
  if (request.side !== undefined) {
    // One side of an isolated benchmark: a block of samples back to back, reported as `ours`.
    const measure = request.side === "ours" ? contenders.ours : contenders.anchor;
    if (measure === undefined)
      throw new PerflayerError(
        "ERR_SUITE",
        `benchmark "${definition.name}" is isolated but builds no ${request.side}.`,
      );
    const taken = await sampleAlone(toRunner(measure, unit, windows), rounds, warmup);
    await contenders.teardown?.();
    await gcs.stop();
    return { kind: "samples", ours: withGcs(taken) };
  }
  const ours = toRunner(contenders.ours, unit, windows);
  let sampled: { ours: Sample[]; anchor?: Sample[] };
  if (contenders.anchor === undefined) {
    sampled = { ours: await sampleAlone(ours, rounds, warmup) };
  } else {
    const { base, head } = await sampleInterleaved({
      base: toRunner(contenders.anchor, unit, windows),
      head: ours,
      decision: { threshold: 0.05 },
      minSamples: rounds.minSamples,
      maxSamples: rounds.maxSamples,
      maxTimeMs: request.maxTimeMs,
      targetWidth: request.targetWidth,
      seed: request.seed,
      warmup,
    });
    sampled = { ours: head, anchor: base };
  }
  await contenders.teardown?.();
  await gcs.stop();
  return {
    kind: "samples",
    ours: withGcs(sampled.ours),
    ...(sampled.anchor === undefined ? {} : { anchor: withGcs(sampled.anchor) }),
  };
}

/** Measures one benchmark; under callgrind, only its sampling is instrumented. */
async function measure(request: ChildRequest, suite: Suite): Promise<ChildReport> {
  const prepared = await prepare(request, suite);
  // Start-up, loading and setup ran uninstrumented; only the counting is worth callgrind's cost.
  if (request.callgrindDir !== undefined) await instrumentationOn(request.callgrindDir);
  return sample(prepared);
}

/**
 * Measures several benchmarks in this one process (instructions benchmarks: each process under
 * callgrind costs seconds of start-up): all are built first, uninstrumented, then counted in turn.
 */
async function measureBatch(
  request: ChildRequest,
  batch: readonly BatchItem[],
  suite: Suite,
): Promise<ChildReport> {
  const prepared: (Prepared | string)[] = [];
  for (const item of batch) {
    const { side: _, ...rest } = request;
    const one = {
      ...rest,
      benchmark: item.name,
      ...(item.side === undefined ? {} : { side: item.side }),
    };
    prepared.push(await prepare(one, suite).catch(describe));
  }
  if (request.callgrindDir !== undefined) await instrumentationOn(request.callgrindDir);
  const results: BatchResult[] = [];
  for (const [i, item] of batch.entries()) {
    const ready = prepared[i] ?? "not prepared";
    const report = typeof ready === "string" ? ready : await sample(ready).catch(describe);
    results.push(
      typeof report === "string"
        ? { name: item.name, error: report }
        : report.kind === "samples"
          ? {
              name: item.name,
              ours: report.ours,
              ...(report.anchor === undefined ? {} : { anchor: report.anchor }),
            }
          : { name: item.name, error: "unexpected report" },
    );
  }
  return { kind: "batch", results };
}

/** An error as the parent shows it: a suite's own message as is, anything else with its first frame. */
function describe(error: unknown): string {
  const e = error as Error & { code?: string };
  const frame = /\n\s+at (.*)/.exec(e.stack ?? "")?.[1];
  return e instanceof PerflayerError && e.code === "ERR_SUITE"
    ? e.message
    : `${e.name}: ${e.message}${frame === undefined ? "" : ` (at ${frame})`}`;
}

async function main(): Promise<void> {
  const request = JSON.parse(process.argv[2] ?? "{}") as ChildRequest;
  let report: ChildReport;
  try {
    const suite = await loadSuite(request.file);
    report =
      request.batch !== undefined
        ? await measureBatch(request, request.batch, suite)
        : request.benchmark === undefined
          ? {
              kind: "list",
              suite: suite.name,
              benchmarks: suite.benchmarks.map((b) => ({
                name: b.name,
                unit: b.measure === "instructions" ? INSTRUCTIONS_UNIT : (b.unit ?? "ns/op"),
                quick: b.quick ?? true,
                measure: b.measure ?? "time",
                isolate: b.isolate ?? false,
                ...(b.forks === undefined ? {} : { forks: b.forks }),
                ...(b.anchor === undefined ? {} : { anchor: b.anchor }),
                ...(b.target === undefined ? {} : { target: b.target }),
              })),
            }
          : await measure(request, suite);
  } catch (error) {
    report = { kind: "error", message: describe(error) };
  }
  process.send?.(report, () => process.exit(0));
}

await main();
