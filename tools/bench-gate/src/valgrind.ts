// The parent's side of instructions mode: whether valgrind is here, and how a benchmark process is
// started under callgrind (see instruction-loop.ts for the markers it reacts to).
import { execFile, spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";

/** What to tell a user who has no valgrind. */
export const VALGRIND_MISSING =
  "valgrind is not installed, so this instructions benchmark did NOT RUN. Install it (Debian/Ubuntu: `sudo apt-get install valgrind`; Fedora: `sudo dnf install valgrind`; macOS has none: run the gate in Linux CI, where .ci/run installs it)";

/** Whether valgrind runs, per PATH it was looked up on. */
const found = new Map<string, boolean>();

/**
 * The valgrind command, when valgrind runs here (looked up once per PATH).
 * @returns `"valgrind"` (found on PATH), or undefined when it is not installed
 */
export function valgrindCommand(): string | undefined {
  const path = process.env["PATH"] ?? "";
  let runs = found.get(path);
  if (runs === undefined) {
    const probe = spawnSync("valgrind", ["--version"], { encoding: "utf8" });
    runs = probe.status === 0 && probe.stdout.includes("valgrind");
    found.set(path, runs);
  }
  return runs ? "valgrind" : undefined;
}

/**
 * Switches callgrind's instrumentation on in a process that asked for it (see instrumentationOn),
 * then tells it so by writing `go` in its dump directory (with the reason when it failed).
 * @param pid - the process under callgrind
 * @param dir - its dump directory
 */
export function switchInstrumentationOn(pid: number, dir: string): void {
  execFile("vgdb", [`--pid=${pid}`, "instrumentation", "on"], (error, _stdout, stderr) => {
    writeFileSync(
      join(dir, "go"),
      error === null
        ? ""
        : `vgdb could not switch callgrind's instrumentation on: ${stderr.trim() || error.message}`,
    );
  });
}

/**
 * V8 flags of a benchmark process under callgrind: one thread (V8's background compiler and GC
 * threads would otherwise add a varying share of their work, 595 M vs 1,049 M instructions for the
 * same script) and fixed hash and random seeds (a string's hash decides how many probes a Map lookup
 * takes; a random seed per process moved the same benchmark by 0.65 % between processes).
 */
export const INSTRUCTIONS_NODE_FLAGS: readonly string[] = [
  "--single-threaded",
  "--hash-seed=1",
  "--random-seed=1",
  // A minor GC before each sample (gc() exposed), and a young generation large enough to take many
  // counts' allocations: a collection seldom lands inside a count (GC work is not counted; see the README).
  "--expose-gc",
  // Old-generation marking in one pause, not in steps on allocation: a step inside a count added up
  // to 2,700 instructions per call to a few samples of a lookup that allocates (the fewest of several
  // counts did not remove them: steps land in every count while marking runs); a whole pause lands in
  // one count at most, and the fewest of two drops it.
  "--no-incremental-marking",
  "--min-semi-space-size=64",
  "--max-semi-space-size=64",
];

/**
 * Valgrind's arguments before node's: callgrind, counters zeroed when node enters
 * `process.resourceUsage()` and dumped to `dir` when it enters `os.uptime()`.
 * @param dir - where the dumps go
 * @returns the arguments
 */
export function callgrindArgs(dir: string): string[] {
  return [
    "--tool=callgrind",
    "--quiet",
    // Off until the benchmark is built: node's start-up and the suite's loading then run ~4× faster.
    "--instr-atstart=no",
    `--callgrind-out-file=${dir}/callgrind.out.%p`,
    "--zero-before=node::ResourceUsage*",
    "--dump-before=node::os::GetUptime*",
    "--dump-instr=no",
    "--dump-line=no",
    // JIT code is written and moved at run time: re-check it rather than run stale translations.
    "--smc-check=all-non-file",
  ];
}
