/** The V8 flags that fix a process's seeds. */
const SEED_FLAGS = ["--hash-seed", "--random-seed"] as const;

/**
 * The seed of the `fork`-th pair of processes of a run: never 0 (V8 reads 0 as "pick one at
 * random"), different for every pair, and different between a run and its confirming re-run.
 * @param runSeed - the run's seed (1 for the first measurement, 2 for the re-run)
 * @param fork - the pair's index
 * @returns a positive integer
 */
export function pairSeed(runSeed: number, fork: number): number {
  return runSeed * 1_000 + fork + 1;
}

/**
 * Node flags that give a process V8's hash and random seeds. V8 seeds its string hashes per
 * process (`--hash-seed`, random by default), so the same `Map` lookup probes differently — and
 * costs differently — in each process; `--random-seed` fixes `Math.random` and V8's other random
 * choices. Two processes started with the same flags hash alike (the machine's load can still set
 * them apart). A seed the flags already set (in `execArgv`, e.g. the user's own) is kept.
 * @param execArgv - the Node flags the process starts with otherwise
 * @param seed - a positive integer
 * @returns the flags to add
 */
export function seedFlags(execArgv: readonly string[], seed: number): string[] {
  const set = new Set(execArgv.map((arg) => (arg.split("=")[0] as string).replaceAll("_", "-")));
  return SEED_FLAGS.filter((flag) => !set.has(flag)).map((flag) => `${flag}=${seed}`);
}
