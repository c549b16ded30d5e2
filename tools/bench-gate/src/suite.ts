import { PerflayerConfigError } from "@perflayer/core";
import { freshFunction } from "./fresh-function.js";
import type { Sample } from "./runners.js";
import { targetLimit } from "./verdict.js";
import type { Target } from "./verdict.js";

/** Takes one measurement in the benchmark's unit (lower is better), or a full {@link Sample}. */
export type Measure = () => number | Sample | Promise<number | Sample>;

/** What a benchmark's `setup` returns: the contenders, measured round by round, interleaved. */
export interface Contenders {
  /** Our side. */
  readonly ours: Measure;
  /** The anchor library on the same work, when the benchmark compares with one. */
  readonly anchor?: Measure;
  /** Called once after the last sample. */
  readonly teardown?: () => unknown;
}

/** What `setup` is given. */
export interface SetupContext {
  /** True in quick mode (`bench-gate check`): use smaller workloads where a sample is expensive. */
  readonly quick: boolean;
  /** About how long one sample should take, in milliseconds (time mode). */
  readonly sampleMs: number;
  /** What the benchmark's samples count: its declared {@link BenchmarkDefinition.measure}. */
  readonly measure: MeasureMode;
  /**
   * A measure that runs `body(i)` in a loop and reports per call: in time mode ns, timing a loop
   * sized to take about `sampleMs`; in instructions mode the CPU instructions callgrind counted.
   * Each call builds its own loop function, so one contender's call site never turns another's
   * megamorphic.
   */
  readonly loop: (body: (i: number) => unknown, options?: LoopOptions) => Measure;
  /**
   * The same for an asynchronous body, its calls one after another, each awaited. In instructions
   * mode everything the process runs until the promise settles is counted, so the body must settle
   * without I/O or timers (drive time with a ManualClock).
   */
  readonly asyncLoop: (body: (i: number) => Promise<unknown>, options?: LoopOptions) => Measure;
}

/** How a `loop(body)` of an instructions benchmark warms up (time mode ignores it). */
export interface LoopOptions {
  /**
   * Calls of the body before instrumentation is switched on (uninstrumented, so the JIT settles
   * cheaply). Lower it for a body that takes milliseconds. @defaultValue 200,000
   */
  readonly warmupCalls?: number;
}

/**
 * What a benchmark's samples count. `time`: wall time of a timed loop (or whatever the measure
 * returns). `instructions`: CPU instructions per call of a `loop(body)`, counted by valgrind's
 * callgrind on a single-threaded V8 — they barely move with the machine's load, but miss I/O, GC
 * pauses, memory stalls and real parallelism (see the README for which benchmark uses which).
 */
export type MeasureMode = "time" | "instructions";

/** The unit of an instructions benchmark's samples. */
export const INSTRUCTIONS_UNIT = "instructions/op";

/** One benchmark of a suite. */
export interface BenchmarkDefinition {
  /** Unique within the suite. */
  readonly name: string;
  /** Unit of the measurements (not with `measure: "instructions"`). @defaultValue "ns/op" */
  readonly unit?: string;
  /**
   * What the samples count. `"instructions"` needs valgrind, and measures given by `loop(body)`
   * only; the benchmark's unit is then `instructions/op`. @defaultValue "time"
   */
  readonly measure?: MeasureMode;
  /** What the anchor is, e.g. "LRUCache.get" (required when `setup` returns an anchor). */
  readonly anchor?: string;
  /** The goal relative to the anchor; `bench-gate run` and `check` judge it. */
  readonly target?: Target;
  /**
   * Measure each contender in its own process, rounds still alternating. Use it when both run the
   * same library code (a wrapper against the library it wraps): in one process they share that
   * code's JIT feedback, and whichever runs first shapes the other's figures. Timed, the `i`-th
   * process of each contender starts with the same V8 hash and random seeds (different for every
   * `i`), and the target is judged pair by pair. @defaultValue false
   */
  readonly isolate?: boolean;
  /**
   * Fresh processes the samples are spread over, so that the figures carry the variation between
   * processes (JIT decisions differ from run to run of the same code). An isolated benchmark uses
   * this many processes per contender, in turn. @defaultValue 4 when isolated, else the mode's (quick
   * 2, full 3); 1 for benchmarks whose samples start processes of their own
   */
  readonly forks?: number;
  /** Run in quick mode (`bench-gate check`). @defaultValue true */
  readonly quick?: boolean;
  /** Fewest rounds, for expensive samples (e.g. a fresh process each). @defaultValue the mode's */
  readonly minSamples?: number;
  /** Most rounds. @defaultValue the mode's */
  readonly maxSamples?: number;
  /** Builds both contenders in the benchmark's process (give this or `contenders`). */
  readonly setup?: (context: SetupContext) => Contenders | Promise<Contenders>;
  /**
   * Builds each side on its own (give this or `setup`): an isolated benchmark's processes build only
   * their side, so nothing of the other side's code runs there. Required with `isolate`.
   */
  readonly contenders?: {
    /** Builds our side. */
    readonly ours: Builder;
    /** Builds the anchor's side. */
    readonly anchor?: Builder;
  };
}

/** Builds one side's measure in the process that measures it. */
export type Builder = (context: SetupContext) => Measure | Promise<Measure>;

/** A named set of benchmarks; what a suite file exports as `suite` (or as its default export). */
export interface Suite {
  /** The suite's name, e.g. the package name. */
  readonly name: string;
  /** Its benchmarks, each run in a fresh process. */
  readonly benchmarks: readonly BenchmarkDefinition[];
}

/**
 * Declares a suite (`export const suite = defineSuite(…)` in a benchmark file), validating names
 * and targets up front.
 * @param suite - the suite
 * @returns the same suite
 */
export function defineSuite(suite: Suite): Suite {
  const seen = new Set<string>();
  for (const benchmark of suite.benchmarks) {
    const where = `suite "${suite.name}", benchmark "${benchmark.name}"`;
    if (benchmark.name.trim() === "" || seen.has(benchmark.name))
      throw new PerflayerConfigError(
        "ERR_INVALID_OPTION",
        `${where}: Expected a unique, non-empty benchmark name; rename one of them.`,
      );
    seen.add(benchmark.name);
    if ((benchmark.setup === undefined) === (benchmark.contenders === undefined))
      throw new PerflayerConfigError(
        "ERR_INVALID_OPTION",
        `${where}: Expected exactly one of setup (both sides in one process) or contenders: { ours, anchor } (each side built on its own).`,
      );
    if (benchmark.isolate === true && benchmark.contenders === undefined)
      throw new PerflayerConfigError(
        "ERR_INVALID_OPTION",
        `${where}: an isolated benchmark builds each side in processes of its own; give contenders: { ours: (ctx) => measure, anchor: (ctx) => measure } instead of setup.`,
      );
    if (
      benchmark.forks !== undefined &&
      !(Number.isInteger(benchmark.forks) && benchmark.forks >= 1)
    )
      throw new PerflayerConfigError(
        "ERR_INVALID_OPTION",
        `${where}: Expected forks to be a whole number >= 1, got ${String(benchmark.forks)}.`,
      );
    const min = benchmark.minSamples ?? 3;
    const max = benchmark.maxSamples ?? Number.MAX_SAFE_INTEGER;
    if (!(
      Number.isInteger(min) &&
      min >= 3 &&
      (max === Number.MAX_SAFE_INTEGER || Number.isInteger(max)) &&
      max >= min
    ))
      throw new PerflayerConfigError(
        "ERR_INVALID_OPTION",
        `${where}: Expected whole numbers 3 <= minSamples <= maxSamples, got ${String(benchmark.minSamples)} and ${String(benchmark.maxSamples)}.`,
      );
    if (
      benchmark.measure !== undefined &&
      benchmark.measure !== "time" &&
      benchmark.measure !== "instructions"
    )
      throw new PerflayerConfigError(
        "ERR_INVALID_OPTION",
        `${where}: Expected measure to be "time" or "instructions", got \`${String(benchmark.measure)}\` (${typeof benchmark.measure}). Pass e.g. measure: "instructions".`,
      );
    if (benchmark.measure === "instructions" && benchmark.unit !== undefined)
      throw new PerflayerConfigError(
        "ERR_INVALID_OPTION",
        `${where}: an instructions benchmark counts ${INSTRUCTIONS_UNIT}; remove unit: "${benchmark.unit}" or measure in time.`,
      );
    if (benchmark.target !== undefined) {
      targetLimit(benchmark.target, where);
      if (benchmark.anchor === undefined)
        throw new PerflayerConfigError(
          "ERR_INVALID_OPTION",
          `${where}: a target is relative to an anchor; name it with anchor: "…" and return it from setup.`,
        );
    }
  }
  return suite;
}

/**
 * A measure timing `body(i)` in a loop sized to about `sampleMs` on its first call (which also warms
 * it up), reporting ns per call. A fresh loop function per measure keeps call-site feedback apart.
 * @param body - the work of one call; its result is consumed so it cannot be optimised away
 * @param sampleMs - target duration of one sample
 * @returns the measure
 */
export function opLoop(body: (i: number) => unknown, sampleMs: number): Measure {
  const run = freshFunction<(body: (i: number) => unknown, ops: number) => number>(
    ["body", "ops"],
    "let sink = 0; const start = process.hrtime.bigint(); for (let i = 0; i < ops; i++) if (body(i) !== undefined) sink++; const ns = Number(process.hrtime.bigint() - start); return sink === -1 ? -1 : ns;",
  );
  let ops = 0;
  return () => {
    if (ops === 0) {
      let n = 64;
      let ns = run(body, n);
      while (ns < sampleMs * 250_000 && n < 2 ** 30) ns = run(body, (n *= 2));
      ops = Math.max(1, Math.round((n * sampleMs * 1e6) / Math.max(ns, 1)));
    }
    return run(body, ops) / ops;
  };
}

/**
 * One benchmark in both modes: counted in CPU instructions under its own name (what `pnpm check`
 * gates on a busy machine, against the baseline), and timed as `<name>, time` in full runs only,
 * with the definition's target and unit (a goal about time is judged on time). Its measures must
 * come from `loop(body)` or `asyncLoop(body)`, which count or time depending on the mode.
 * @param definition - the benchmark, as timed
 * @returns the counted and the timed variant
 */
export function countedAndTimed(definition: BenchmarkDefinition): BenchmarkDefinition[] {
  const { target: _target, unit: _unit, ...counted } = definition;
  return [
    { ...counted, measure: "instructions" },
    { ...definition, name: `${definition.name}, time`, measure: "time", quick: false },
  ];
}

/**
 * The asynchronous {@link opLoop}: ns per awaited call of `body`, calls one after another, the loop
 * sized to take about `sampleMs`.
 * @param body - one call's work
 * @param sampleMs - about how long one sample should take
 * @returns the measure
 */
export function asyncOpLoop(body: (i: number) => Promise<unknown>, sampleMs: number): Measure {
  const run = freshFunction<
    (body: (i: number) => Promise<unknown>, ops: number) => Promise<number>
  >(
    ["body", "ops"],
    "return (async () => { let sink = 0; const start = process.hrtime.bigint(); for (let i = 0; i < ops; i++) if ((await body(i)) !== undefined) sink++; const ns = Number(process.hrtime.bigint() - start); return sink === -1 ? -1 : ns; })();",
  );
  let ops = 0;
  return async () => {
    if (ops === 0) {
      let n = 1;
      let ns = await run(body, n);
      while (ns < sampleMs * 250_000 && n < 2 ** 30) ns = await run(body, (n *= 2));
      ops = Math.max(1, Math.round((n * sampleMs * 1e6) / Math.max(ns, 1)));
    }
    return (await run(body, ops)) / ops;
  };
}
