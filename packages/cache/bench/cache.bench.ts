// @perflayer/cache side by side with raw lru-cache, as a bench-gate suite: contenders alternate round
// by round, targets are judged with a 95 % interval. The cache runs lru-cache's own code, so the two
// sides are isolated (each in its own process): in one process they would share lru-cache's JIT
// feedback and whichever ran first would shape the other's figure (1.07× to 1.64× for the same code).
// Run: pnpm --filter @perflayer/cache bench    (gated in quick mode by `pnpm check`)
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { LRUCache } from "lru-cache";
import { defineSuite } from "@perflayer/bench-gate";
import type { BenchmarkDefinition, Measure, SetupContext } from "@perflayer/bench-gate";
import { CacheManager } from "@perflayer/cache";
import type { CachePolicy } from "@perflayer/cache";
import { ManualClock } from "@perflayer/core";
import type { Clock } from "@perflayer/core";

const KEYS = 10_000;
const keys = Array.from({ length: KEYS }, (_, i) => `key:${i}`);
const key = (i: number): string => keys[i % KEYS] as string;

/**
 * A cache filled with every key (and nothing else in this process touches lru-cache), on the real
 * clock unless `clock` is given.
 */
function filledCache(
  options: { max: number; ttl?: number; policy?: CachePolicy },
  fill = true,
  clock?: Clock,
) {
  const manager = new CacheManager({ sweepIntervalMs: 0, ...(clock ? { clock } : {}) });
  const cache = manager.cache<string, string>("bench", options);
  if (fill) for (const k of keys) cache.set(k, k);
  return cache;
}

/**
 * A bare LRUCache with the same options, filled the same way; on `clock` when given, read the way
 * the cache reads a clock it is given (lru-cache's `perf`, kept above 0, and `ttlResolution: 0`).
 */
function filledLru(options: { max: number; ttl?: number }, fill = true, clock?: Clock) {
  const lru = new LRUCache<string, string>({
    ...options,
    ...(clock ? { perf: { now: () => clock.now() + 1 }, ttlResolution: 0 } : {}),
  });
  if (fill) for (const k of keys) lru.set(k, k);
  return lru;
}

type Get = (key: string, load: (key: string) => Promise<string>) => Promise<string>;

/**
 * Like the suite's `loop`, in CPU time: nanoseconds of this process's CPU per call. On a machine
 * shared with other work, time spent waiting for a core is not counted (contention for caches and
 * memory still is), so this figure moves far less with the machine's load than wall time does.
 */
function cpuLoop(body: (i: number) => unknown, sampleMs: number): Measure {
  let sink = 0;
  const cpuNs = (ops: number): number => {
    const start = process.cpuUsage();
    for (let i = 0; i < ops; i++) if (body(i) !== undefined) sink++;
    const spent = process.cpuUsage(start);
    return (spent.user + spent.system) * 1_000;
  };
  // Every sample spans at least half of `sampleMs`: sized once from a cold start, samples were as
  // short as a few hundred microseconds whenever the first calls ran unoptimised, and then a
  // collection or a compile in one made a process read 100–2,000 ns for a 30 ns get.
  let ops = 1_024;
  return () => {
    for (;;) {
      const ns = cpuNs(ops);
      if (ns >= sampleMs * 500_000 || ops >= 2 ** 30) return ns / ops + (sink < 0 ? 1 : 0);
      ops = Math.min(
        2 ** 30,
        Math.max(ops * 2, Math.round((ops * sampleMs * 1e6) / Math.max(ns, 1))),
      );
    }
  };
}

/**
 * Heap and ArrayBuffer bytes per entry of a structure holding every key (keys and values are
 * shared strings allocated up front, so only the structure is counted), after full collections.
 */
function bytesPerEntry(build: () => { readonly size: number }): Measure {
  setFlagsFromString("--expose-gc");
  const gc = runInNewContext("gc") as () => void;
  const used = (): number => {
    const { heapUsed, arrayBuffers } = process.memoryUsage();
    return heapUsed + arrayBuffers;
  };
  return () => {
    gc();
    gc();
    const before = used();
    const held = build();
    gc();
    gc();
    const bytes = used() - before;
    return bytes / held.size;
  };
}

/** Loader calls made when 1,000 callers ask for one cold key at once (1 ms async loader). */
function stampede(fresh: () => Get): Measure {
  return async () => {
    const get = fresh();
    let calls = 0;
    const load = async (k: string): Promise<string> => {
      calls++;
      await new Promise((resolve) => setTimeout(resolve, 1));
      return k;
    };
    await Promise.all(Array.from({ length: 1_000 }, () => get("cold", load)));
    return calls;
  };
}

/**
 * A get (hit) benchmark: every key present, ours against `LRUCache.get` with the same options, each
 * side in processes of its own, counted in CPU instructions (the suite's loop under callgrind: what
 * `pnpm check` gates on) or timed in CPU time (full runs only).
 */
function getHit(
  name: string,
  options: { ttl?: number; policy?: CachePolicy },
  timer: "instructions" | "cpu",
): BenchmarkDefinition {
  const time = (context: SetupContext, body: (i: number) => unknown): Measure =>
    timer === "instructions" ? context.loop(body) : cpuLoop(body, context.sampleMs);
  const { policy, ...lruOptions } = options;
  // Counted with a ttl, both sides read a clock the benchmark controls (core's ManualClock, never
  // advanced): on the real clock lru-cache reads `performance.now()` only when its `ttlResolution`
  // cache of it has expired — how often depends on how fast the process runs, so the count per call
  // depended on the machine (297/158 per call when the baseline was recorded, 568/424 in a later
  // check of the same code). Timed (CPU time), they keep the real clock: its cost is part of a hit.
  const clock =
    timer === "instructions" && options.ttl !== undefined ? new ManualClock() : undefined;
  return {
    name,
    anchor: options.ttl === undefined ? "LRUCache.get" : "LRUCache.get (ttl)",
    isolate: true,
    // The 1.3× goal is about time: judged on the CPU-time variants (full runs). Counted in
    // instructions, a hit with ttl executes 1.47× lru-cache's instructions while taking ~1.2× its
    // time (reading the clock is few cycles, many instructions); `pnpm check` gates the counts
    // against the baseline instead.
    ...(timer === "cpu"
      ? // Processes settle at speeds of their own (string hashes are seeded per process): eight
        // pairs of processes, each pair started with the same V8 hash and random seeds (bench-gate's
        // seeded pairs), the ratio taken pair by pair.
        { unit: "CPU ns/op", quick: false, forks: 8, target: { maxRatio: 1.3 } }
      : { measure: "instructions" as const }),
    contenders: {
      ours: (context) => {
        const cache = filledCache(
          { max: KEYS, ...lruOptions, ...(policy ? { policy } : {}) },
          true,
          clock,
        );
        return time(context, (i) => cache.get(key(i)));
      },
      anchor: (context) => {
        const lru = filledLru({ max: KEYS, ...lruOptions }, true, clock);
        return time(context, (i) => lru.get(key(i)));
      },
    },
  };
}

export const suite = defineSuite({
  name: "@perflayer/cache",
  benchmarks: [
    getHit("get (hit), 10k string keys", {}, "instructions"),
    {
      ...getHit(
        "get (hit), policy tinylfu, 10k string keys",
        { policy: "tinylfu" },
        "instructions",
      ),
      // Counted in full runs only for now: between runs its median moved by up to 2.5 % (474.3,
      // 473.4, 485.1; the anchor's 461.7–472.3), more than the 1 % tolerance — not understood yet.
      quick: false,
    },
    getHit("get (hit), policy lru, CPU time", {}, "cpu"),
    getHit("get (hit), policy tinylfu, CPU time", { policy: "tinylfu" }, "cpu"),
    getHit("get (hit) with ttl", { ttl: 60_000 }, "instructions"),
    getHit("get (hit) with ttl, CPU time", { ttl: 60_000 }, "cpu"),
    {
      name: "set (existing key)",
      measure: "instructions",
      anchor: "LRUCache.set",
      isolate: true,
      target: { maxRatio: 1.5 },
      contenders: {
        ours: ({ loop }) => {
          const cache = filledCache({ max: KEYS });
          return loop((i) => cache.set(key(i), "v"));
        },
        anchor: ({ loop }) => {
          const lru = filledLru({ max: KEYS });
          return loop((i) => lru.set(key(i), "v"));
        },
      },
    },
    {
      name: "set with eviction (10k keys into max 1k)",
      measure: "instructions",
      anchor: "LRUCache.set",
      isolate: true,
      target: { maxRatio: 1.5 },
      contenders: {
        ours: ({ loop }) => {
          const cache = filledCache({ max: 1_000 }, false);
          return loop((i) => cache.set(key(i), "v"));
        },
        anchor: ({ loop }) => {
          const lru = filledLru({ max: 1_000 }, false);
          return loop((i) => lru.set(key(i), "v"));
        },
      },
    },
    {
      name: "memory per entry, policy lru, 10k entries",
      unit: "bytes/entry",
      anchor: "LRUCache",
      quick: false,
      setup: () => ({
        ours: bytesPerEntry(() => filledCache({ max: KEYS })),
        anchor: bytesPerEntry(() => filledLru({ max: KEYS })),
      }),
    },
    {
      name: "memory per entry, policy tinylfu, 10k entries",
      unit: "bytes/entry",
      anchor: "LRUCache",
      quick: false,
      setup: () => ({
        ours: bytesPerEntry(() => filledCache({ max: KEYS, policy: "tinylfu" })),
        anchor: bytesPerEntry(() => filledLru({ max: KEYS })),
      }),
    },
    {
      name: "stampede: 1,000 concurrent callers of a cold key",
      unit: "loader calls",
      anchor: "hand-rolled Map value cache",
      target: { minSpeedup: 100 },
      setup: () => {
        const cache = filledCache({ max: KEYS, ttl: 60_000 }, false);
        return {
          ours: stampede(() => {
            cache.clear();
            return (k, load) => cache.getOrLoad(k, load);
          }),
          anchor: stampede(() => {
            const map = new Map<string, string>();
            return async (k, load) => {
              const hit = map.get(k);
              if (hit !== undefined) return hit;
              const value = await load(k);
              map.set(k, value);
              return value;
            };
          }),
        };
      },
    },
  ],
});
