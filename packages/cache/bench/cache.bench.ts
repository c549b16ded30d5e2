// Benchmarks @perflayer/cache side by side with raw lru-cache in one run and reports ratios.
// Run: pnpm --filter @perflayer/cache bench   (builds first; measures the built package)
import { LRUCache } from "lru-cache";
import { CacheManager } from "@perflayer/cache";

const KEYS = 10_000;
const OPS = Number(process.env["BENCH_OPS"] ?? 5_000_000);
const ROUNDS = Number(process.env["BENCH_ROUNDS"] ?? 7);
const keys = Array.from({ length: KEYS }, (_, i) => `key:${i}`);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/**
 * Builds a timing loop of its own for each contender (`new Function` gives each its own feedback
 * vector, so one contender's call site never turns the other's polymorphic) and returns ns per op.
 */
function loop(body: (i: number) => unknown): (ops: number) => number {
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- a fresh function per contender is the point
  const run = new Function(
    "body",
    "ops",
    "let sink = 0; const start = process.hrtime.bigint(); for (let i = 0; i < ops; i++) if (body(i) !== undefined) sink++; const ns = Number(process.hrtime.bigint() - start); return sink === -1 ? -1 : ns / ops;",
  ) as (body: (i: number) => unknown, ops: number) => number;
  return (ops) => run(body, ops);
}

interface Row {
  readonly name: string;
  readonly ours: number;
  readonly anchor: number;
  readonly anchorName: string;
  readonly goal: string;
}

/** Interleaves the two contenders round by round so drift hits both alike. */
function compare(
  name: string,
  anchorName: string,
  goal: string,
  ours: () => number,
  anchor: () => number,
): Row {
  ours();
  anchor(); // warm-up, discarded
  const a: number[] = [];
  const b: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    if (round % 2 === 0) {
      a.push(ours());
      b.push(anchor());
    } else {
      b.push(anchor());
      a.push(ours());
    }
  }
  return { name, ours: median(a), anchor: median(b), anchorName, goal };
}

const rows: Row[] = [];

{
  const lru = new LRUCache<string, string>({ max: KEYS });
  const manager = new CacheManager({ sweepIntervalMs: 0 });
  const cache = manager.cache<string, string>("bench-get", { max: KEYS });
  for (const key of keys) {
    lru.set(key, key);
    cache.set(key, key);
  }
  rows.push(
    compare(
      "get (hit), 10k string keys",
      "LRUCache.get",
      "<= 1.2x",
      (
        (l) => () =>
          l(OPS)
      )(loop((i) => cache.get(keys[i % KEYS] as string))),
      (
        (l) => () =>
          l(OPS)
      )(loop((i) => lru.get(keys[i % KEYS] as string))),
    ),
  );
  rows.push(
    compare(
      "set (existing key)",
      "LRUCache.set",
      "report",
      (
        (l) => () =>
          l(OPS / 5)
      )(loop((i) => cache.set(keys[i % KEYS] as string, "v"))),
      (
        (l) => () =>
          l(OPS / 5)
      )(loop((i) => lru.set(keys[i % KEYS] as string, "v"))),
    ),
  );
}

{
  const max = 1_000;
  const lru = new LRUCache<string, string>({ max });
  const manager = new CacheManager({ sweepIntervalMs: 0 });
  const cache = manager.cache<string, string>("bench-evict", { max });
  rows.push(
    compare(
      "set with eviction (10k keys into max 1k)",
      "LRUCache.set",
      "report",
      (
        (l) => () =>
          l(OPS / 5)
      )(loop((i) => cache.set(keys[i % KEYS] as string, "v"))),
      (
        (l) => () =>
          l(OPS / 5)
      )(loop((i) => lru.set(keys[i % KEYS] as string, "v"))),
    ),
  );
}

{
  const lru = new LRUCache<string, string>({ max: KEYS, ttl: 60_000 });
  const manager = new CacheManager({ sweepIntervalMs: 0 });
  const cache = manager.cache<string, string>("bench-ttl", { max: KEYS, ttl: 60_000 });
  for (const key of keys) {
    lru.set(key, key);
    cache.set(key, key);
  }
  rows.push(
    compare(
      "get (hit) with ttl",
      "LRUCache.get (ttl)",
      "<= 1.2x",
      (
        (l) => () =>
          l(OPS)
      )(loop((i) => cache.get(keys[i % KEYS] as string))),
      (
        (l) => () =>
          l(OPS)
      )(loop((i) => lru.get(keys[i % KEYS] as string))),
    ),
  );
}

console.log(
  `\n@perflayer/cache vs lru-cache — node ${process.version}, ${OPS.toLocaleString()} ops, median of ${ROUNDS} interleaved rounds\n`,
);
console.log("| benchmark | perflayer ns/op | anchor | anchor ns/op | ratio | goal |");
console.log("|---|---:|---|---:|---:|---|");
for (const row of rows) {
  console.log(
    `| ${row.name} | ${row.ours.toFixed(1)} | ${row.anchorName} | ${row.anchor.toFixed(1)} | ${(row.ours / row.anchor).toFixed(2)}x | ${row.goal} |`,
  );
}

// Load-through under 1,000 concurrent callers of one cold key with a 1 ms async backend.
const CALLERS = 1_000;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function naiveValueCache(): Promise<{ calls: number; ms: number }> {
  const map = new Map<string, string>();
  let calls = 0;
  const load = async (key: string): Promise<string> => {
    calls++;
    await sleep(1);
    return key;
  };
  const get = async (key: string): Promise<string> => {
    const hit = map.get(key);
    if (hit !== undefined) return hit;
    const value = await load(key);
    map.set(key, value);
    return value;
  };
  const start = performance.now();
  await Promise.all(Array.from({ length: CALLERS }, () => get("cold")));
  return { calls, ms: performance.now() - start };
}

async function naivePromiseCache(): Promise<{ calls: number; ms: number }> {
  const map = new Map<string, Promise<string>>();
  let calls = 0;
  const load = async (key: string): Promise<string> => {
    calls++;
    await sleep(1);
    return key;
  };
  const get = (key: string): Promise<string> => {
    let pending = map.get(key);
    if (pending === undefined) map.set(key, (pending = load(key)));
    return pending;
  };
  const start = performance.now();
  await Promise.all(Array.from({ length: CALLERS }, () => get("cold")));
  return { calls, ms: performance.now() - start };
}

async function perflayerGetOrLoad(): Promise<{ calls: number; ms: number }> {
  const manager = new CacheManager({ sweepIntervalMs: 0 });
  const cache = manager.cache<string, string>("bench-load", { ttl: 60_000 });
  let calls = 0;
  const load = async (key: string): Promise<string> => {
    calls++;
    await sleep(1);
    return key;
  };
  const start = performance.now();
  await Promise.all(Array.from({ length: CALLERS }, () => cache.getOrLoad("cold", load)));
  return { calls, ms: performance.now() - start };
}

const loadRows: [string, { calls: number; ms: number }[]][] = [
  ["perflayer getOrLoad", []],
  ["naive Map value cache", []],
  ["naive Map promise cache (no TTL, errors cached)", []],
];
for (let round = 0; round < ROUNDS; round++) {
  loadRows[0]?.[1].push(await perflayerGetOrLoad());
  loadRows[1]?.[1].push(await naiveValueCache());
  loadRows[2]?.[1].push(await naivePromiseCache());
}
console.log(
  `\ngetOrLoad: ${CALLERS.toLocaleString()} concurrent callers of one cold key, 1 ms async loader (median of ${ROUNDS})\n`,
);
console.log("| contender | loader calls | wall ms |");
console.log("|---|---:|---:|");
for (const [name, results] of loadRows) {
  console.log(
    `| ${name} | ${median(results.map((r) => r.calls))} | ${median(results.map((r) => r.ms)).toFixed(2)} |`,
  );
}
