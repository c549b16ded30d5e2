// The benchmark process's side of instructions mode: it runs under callgrind (started by
// valgrind.ts), which zeroes its counters when node enters `process.resourceUsage()` and writes them
// to a numbered dump file when node enters `os.uptime()`. A sample is the instructions between the
// two markers around `ops` calls of the body, minus the same markers around an empty loop.
import { closeSync, existsSync, openSync, readFileSync, readSync, rmSync } from "node:fs";
import { uptime } from "node:os";
import { join } from "node:path";
import { PerflayerError } from "@perflayer/core";
import { freshFunction } from "./fresh-function.js";
import type { LoopOptions, Measure } from "./suite.js";

/** Where callgrind writes its dumps and how many instructions one sample should take. */
export interface InstructionLoopOptions {
  /** The directory callgrind writes `callgrind.out.<pid>.<n>` into (set by the parent). */
  readonly dir: string;
  /** About how many instructions one sample should count. */
  readonly sampleInstructions: number;
}

/**
 * Fewest and most warm-up counts before sampling starts. After the uninstrumented warm-up a body
 * can still move: a lookup counted 1,053,074 instructions in eleven counts in a row, then one count
 * held a compilation (1,531,156) and every later count was 1,002,6xx (25 fewer per call).
 */
const MIN_WARMUP = 12;
const MAX_WARMUP = 24;
/** Three consecutive warm-up counts this close mean the JIT has settled. */
const SETTLED = 0.001;
/**
 * Counts of the loop per sample; the fewest is taken: an event inside a count (a compilation, a
 * collection) only ever adds to it. One count per sample was not enough: `set` of an existing key
 * counted 1,013, 1,008, 898, 861 and 808 instructions per call in five samples, the fewest of three
 * 695 in all five (that was with incremental marking, since turned off).
 */
const REPEATS = 2;
/** Counts of the empty loop before the first sample; each sample then adds one. */
const EMPTY_COUNTS = 3;

/**
 * Calls of each body before instrumentation is switched on, by default: the JIT tiers the body up
 * there, uninstrumented and cheap. Counting after a short instrumented warm-up alone was not
 * enough: a body can hold steady in a lower tier for several counts and then move (an anchor counted
 * 753, 248, then 204 instructions per call). A number of calls, not a time: a warm-up cut short by a
 * busy machine would make the counts depend on its load.
 */
export const WARMUP_CALLS = 200_000;
/**
 * A warm-up taking longer than this fails with a hint to pass fewer `warmupCalls` (generous: a busy
 * machine runs it several times slower, and only a misjudged count should fail).
 */
const WARMUP_LIMIT_MS = 300_000;
/** Each loop's uninstrumented warm-up, run by {@link instrumentationOn} before it asks. */
const warmups: (() => Promise<void>)[] = [];

/** How long the process waits for the parent to switch callgrind's instrumentation on. */
const INSTRUMENT_TIMEOUT_MS = 60_000;

/**
 * Warms every loop made so far up (uninstrumented), then asks the parent to switch callgrind's
 * instrumentation on (it starts off, so that node's start-up, the suite's loading and the warm-up
 * run several times faster) and spins until it has: callgrind takes the
 * command (`vgdb … instrumentation on`) only while this process runs code, so it must not sleep.
 * @param dir - callgrind's dump directory, where the parent then writes `go`
 */
export async function instrumentationOn(dir: string): Promise<void> {
  for (const warmup of warmups.splice(0)) await warmup();
  await new Promise<void>((sent, failed) =>
    process.send?.({ kind: "instrument" }, (error: Error | null) =>
      error === null ? sent() : failed(error),
    ),
  );
  const go = join(dir, "go");
  const deadline = Date.now() + INSTRUMENT_TIMEOUT_MS;
  while (!existsSync(go))
    if (Date.now() > deadline)
      throw new PerflayerError(
        "ERR_INSTRUCTIONS",
        `callgrind's instrumentation was not switched on within ${INSTRUMENT_TIMEOUT_MS / 1000} s (the parent runs \`vgdb --pid=${process.pid} instrumentation on\`; is vgdb installed with valgrind?).`,
      );
  const problem = readFileSync(go, "utf8");
  if (problem !== "") throw new PerflayerError("ERR_INSTRUCTIONS", problem);
}

let dumps = 0;
// The summary line is in the first lines of a dump; reading only them allocates next to nothing.
const head = Buffer.alloc(4_096);

/** The instructions callgrind counted since the last zeroing, read from the dump just written. */
function lastDump(dir: string): number {
  dumps += 1;
  const file = join(dir, `callgrind.out.${process.pid}.${dumps}`);
  let length: number;
  try {
    const fd = openSync(file, "r");
    length = readSync(fd, head, 0, head.length, 0);
    closeSync(fd);
  } catch {
    throw new PerflayerError(
      "ERR_INSTRUCTIONS",
      `callgrind wrote no dump at os.uptime() (expected ${file}). This node binary may lack the symbols node::ResourceUsage and node::os::GetUptime (a stripped build); use an official Node.js build, or measure this benchmark in time mode.`,
    );
  }
  rmSync(file, { force: true });
  const found = /^summary:\s*(\d+)/m.exec(head.toString("latin1", 0, length))?.[1];
  if (found === undefined)
    throw new PerflayerError(
      "ERR_INSTRUCTIONS",
      `${file} has no "summary:" line; is it callgrind's?`,
    );
  return Number(found);
}

/** A minor collection (node runs with --expose-gc here), so every sample starts with an empty young generation. */
const collect = (globalThis as { gc?: (options: { type: "minor" }) => void }).gc;

/** Runs `ops` calls of the body; returns how many results were not undefined (so none is dead code). */
type Run = (ops: number) => number | Promise<number>;

/**
 * Samples of a counted loop, one per call of the returned measure: the fewest of two counts of the
 * loop minus the fewest count of an empty loop so far (the markers' own instructions), divided by
 * `ops`. The first call sizes `ops` to about `sampleInstructions`, then counts the loop until three
 * counts in a row agree within 0.1 % (the JIT has settled; 12 counts at least, 24 at most), then the
 * empty loop three times. Every sample counts the empty loop once more and keeps the fewest: the
 * markers' cost only shrinks, once V8 optimises them. Each count costs callgrind a dump (tens of
 * milliseconds, several times that on a busy machine), which is why counts are spent sparingly.
 */
function countedLoop(run: Run, warmupCalls: number, options: InstructionLoopOptions): Measure {
  if (!Number.isInteger(warmupCalls) || warmupCalls < 0)
    throw new PerflayerError(
      "ERR_SUITE",
      `Expected warmupCalls to be a whole number ≥ 0, got \`${String(warmupCalls)}\` (${typeof warmupCalls}). Pass e.g. { warmupCalls: 2_000 }.`,
    );
  let sink = 0;
  // A warm-up that overruns fails this loop only (at its first sample), not the batch around it.
  let overrun: PerflayerError | undefined;
  warmups.push(async () => {
    const started = Date.now();
    for (let calls = 0; calls < warmupCalls; calls += 1_000) {
      sink += await run(Math.min(1_000, warmupCalls - calls));
      const ms = Date.now() - started;
      if (ms > WARMUP_LIMIT_MS) {
        const fits = Math.max(1, Math.floor(((calls + 1_000) * 10_000) / ms));
        overrun = new PerflayerError(
          "ERR_INSTRUCTIONS",
          `the uninstrumented warm-up took over ${WARMUP_LIMIT_MS / 1000} s for ${Math.min(calls + 1_000, warmupCalls)} of ${warmupCalls} calls; pass fewer, e.g. loop(body, { warmupCalls: ${fits} }) (about 10 s on this machine now).`,
        );
        return;
      }
    }
  });
  const count = async (ops: number): Promise<number> => {
    process.resourceUsage(); // callgrind: --zero-before=node::ResourceUsage*
    const done = run(ops);
    sink += typeof done === "number" ? done : await done;
    uptime(); // callgrind: --dump-before=node::os::GetUptime*
    return lastDump(options.dir);
  };
  let ops = 0;
  let empty = Number.POSITIVE_INFINITY;
  return async () => {
    if (overrun !== undefined) throw overrun;
    // A minor collection per sample, not per count: under callgrind it cost 138 ms, two thirds of a
    // count, on a busy machine. A 64 MiB young generation takes thousands of counts' allocations, and
    // a scavenge that still lands in a count is dropped with it by taking the fewest.
    collect?.({ type: "minor" });
    if (ops === 0) {
      const probe = 16;
      await count(probe); // the first count of a loop compiles the sampling code
      // The markers' few thousand instructions make this an overestimate: samples come out smaller.
      const estimate = Math.max((await count(probe)) / probe, 1);
      ops = Math.min(2 ** 24, Math.max(1, Math.round(options.sampleInstructions / estimate)));
      const recent: number[] = [];
      for (let i = 0; i < MAX_WARMUP; i++) {
        recent.push(await count(ops));
        if (recent.length > 3) recent.shift();
        const spread = Math.max(...recent) - Math.min(...recent);
        if (i + 1 >= MIN_WARMUP && spread <= SETTLED * Math.min(...recent)) break;
      }
      for (let r = 0; r < EMPTY_COUNTS; r++) empty = Math.min(empty, await count(0));
    }
    let loop = Number.POSITIVE_INFINITY;
    for (let r = 0; r < REPEATS; r++) loop = Math.min(loop, await count(ops));
    empty = Math.min(empty, await count(0));
    // A body costs something: a loop counted at or below the empty loop caught an event in every
    // count of it (never seen; reported as it is rather than hidden).
    if (!(loop > empty))
      throw new PerflayerError(
        "ERR_INSTRUCTIONS",
        `a loop of ${ops} calls counted ${loop} instructions, no more than the empty loop's ${empty}: the body's work was optimised away or the counts are unsteady; make the body return what it computes.`,
      );
    return (loop - empty) / ops + (sink < 0 ? 1 : 0);
  };
}

/**
 * A measure that counts, under callgrind, the CPU instructions per call of a synchronous `body`
 * (see countedLoop for how a sample is taken). Before instrumentation is on, the body runs
 * `warmupCalls` times so that the JIT tiers it up.
 * @param body - the work of one call; its result is consumed so it cannot be optimised away
 * @param options - callgrind's dump directory and the sample size
 * @param loopOptions - the warm-up
 * @returns the measure
 */
export function instructionLoop(
  body: (i: number) => unknown,
  options: InstructionLoopOptions,
  loopOptions: LoopOptions = {},
): Measure {
  const run = freshFunction<(body: (i: number) => unknown, ops: number) => number>(
    ["body", "ops"],
    "let sink = 0; for (let i = 0; i < ops; i++) if (body(i) !== undefined) sink++; return sink;",
  );
  return countedLoop((ops) => run(body, ops), loopOptions.warmupCalls ?? WARMUP_CALLS, options);
}

/**
 * A measure that counts, under callgrind, the CPU instructions per call of an asynchronous `body`,
 * calls one after another, each awaited: everything the process runs until the promise settles is
 * counted, so the body must settle without I/O or timers (drive time with a ManualClock).
 * @param body - one call's work; what its promise resolves to is consumed
 * @param options - callgrind's dump directory and the sample size
 * @param loopOptions - the warm-up
 * @returns the measure
 */
export function asyncInstructionLoop(
  body: (i: number) => Promise<unknown>,
  options: InstructionLoopOptions,
  loopOptions: LoopOptions = {},
): Measure {
  const run = freshFunction<
    (body: (i: number) => Promise<unknown>, ops: number) => Promise<number>
  >(
    ["body", "ops"],
    "return (async () => { let sink = 0; for (let i = 0; i < ops; i++) if ((await body(i)) !== undefined) sink++; return sink; })();",
  );
  return countedLoop((ops) => run(body, ops), loopOptions.warmupCalls ?? WARMUP_CALLS, options);
}
