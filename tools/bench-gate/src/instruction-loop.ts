// The benchmark process's side of instructions mode: it runs under callgrind (started by
// valgrind.ts), which zeroes its counters when node enters `process.resourceUsage()` and writes them
// to a numbered dump file when node enters `os.uptime()`. A sample is the instructions between the
// two markers around `ops` calls of the body, minus the same markers around an empty loop.
import { closeSync, existsSync, openSync, readFileSync, readSync, rmSync } from "node:fs";
import { uptime } from "node:os";
import { join } from "node:path";
import { PerflayerError } from "@perflayer/core";
import type { Measure } from "./suite.js";

/** Where callgrind writes its dumps and how many instructions one sample should take. */
export interface InstructionLoopOptions {
  /** The directory callgrind writes `callgrind.out.<pid>.<n>` into (set by the parent). */
  readonly dir: string;
  /** About how many instructions one sample should count. */
  readonly sampleInstructions: number;
}

/** Fewest and most warm-up counts before counting starts (the counts then show any unsteadiness). */
const MIN_WARMUP = 5;
const MAX_WARMUP = 12;
/** Three consecutive warm-up counts this close mean the JIT has settled. */
const SETTLED = 0.001;
/** Counts per sample and side; the sample takes the fewest (a compile or GC only ever adds). */
const REPEATS = 3;

/**
 * Calls of each body before instrumentation is switched on, at most (and at most 3 s of them): the
 * JIT tiers the body up there, uninstrumented and cheap. Counting after a short instrumented warm-up
 * alone was not enough: a body can hold steady in a lower tier for several counts and then move
 * (an anchor counted 753, 248, then 204 instructions per call).
 */
const WARMUP_CALLS = 200_000;
const WARMUP_MS = 3_000;
/** Each loop's uninstrumented warm-up, run by {@link instrumentationOn} before it asks. */
const warmups: (() => void)[] = [];

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
  for (const warmup of warmups.splice(0)) warmup();
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

/** A minor collection (node runs with --expose-gc here), so every count starts with an empty young generation. */
const collect = (globalThis as { gc?: (options: { type: "minor" }) => void }).gc;

/**
 * A measure that counts, under callgrind, the instructions of `ops` calls of `body` and reports
 * instructions per call: the fewest of three counts of the loop minus the fewest of three counts of
 * an empty loop (a JIT compilation or a collection that lands in one count only ever adds to it).
 * Before instrumentation is on, the body runs up to 200,000 times (3 s at most) to let the JIT tier it
 * up. Its first call sizes `ops` to about `sampleInstructions` and warms up again: at least 5 counts,
 * until three in a row agree within 0.1 % (the JIT has settled), at most 12.
 * @param body - the work of one call; its result is consumed so it cannot be optimised away
 * @param options - callgrind's dump directory and the sample size
 * @returns the measure
 */
export function instructionLoop(
  body: (i: number) => unknown,
  options: InstructionLoopOptions,
): Measure {
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- a fresh function per contender is the point
  const run = new Function(
    "body",
    "ops",
    "let sink = 0; for (let i = 0; i < ops; i++) if (body(i) !== undefined) sink++; return sink;",
  ) as (body: (i: number) => unknown, ops: number) => number;
  let sink = 0;
  warmups.push(() => {
    const deadline = Date.now() + WARMUP_MS;
    for (let calls = 0; calls < WARMUP_CALLS && Date.now() < deadline; calls += 1_000)
      sink += run(body, 1_000);
  });
  const count = (ops: number): number => {
    collect?.({ type: "minor" });
    process.resourceUsage(); // callgrind: --zero-before=node::ResourceUsage*
    sink += run(body, ops);
    uptime(); // callgrind: --dump-before=node::os::GetUptime*
    return lastDump(options.dir);
  };
  const fewest = (ops: number): number => {
    let least = Number.POSITIVE_INFINITY;
    for (let r = 0; r < REPEATS; r++) least = Math.min(least, count(ops));
    return least;
  };
  const perOp = (ops: number): number => {
    // A body costs something: a difference <= 0 means every empty count caught an event (a
    // compilation of the sampling code, a collection of off-heap memory); count again.
    let value = (fewest(ops) - fewest(0)) / ops;
    for (let retry = 0; retry < REPEATS && !(value > 0); retry++)
      value = (fewest(ops) - fewest(0)) / ops;
    return value;
  };
  let ops = 0;
  return () => {
    if (ops === 0) {
      const probe = 256;
      const estimate = Math.max(perOp(probe), 1);
      ops = Math.min(2 ** 24, Math.max(probe, Math.round(options.sampleInstructions / estimate)));
      const recent: number[] = [];
      for (let i = 0; i < MAX_WARMUP; i++) {
        recent.push(perOp(ops));
        if (recent.length > 3) recent.shift();
        const [a, , c] = recent;
        const spread = Math.max(...recent) - Math.min(...recent);
        if (i + 1 >= MIN_WARMUP && a !== undefined && c !== undefined && spread <= SETTLED * a)
          break;
      }
    }
    return perOp(ops) + (sink < 0 ? 1 : 0);
  };
}
