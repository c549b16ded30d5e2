// Seeded synthetic request traces for the hit-ratio benchmarks, the caches replayed over them, and
// the two reference bounds (the best static set of keys, and Bélády's clairvoyant optimum). Every
// trace is a pure function of its seed, so hit ratios replay exactly.
import { LRUCache } from "lru-cache";
import { seededRandom as random } from "@perflayer/bench-gate";
import { CacheManager } from "@perflayer/cache";
import type { CachePolicy } from "@perflayer/cache";

/** One trace: the keys requested, in order. */
export interface Trace {
  /** e.g. "Zipf α 0.9". */
  readonly name: string;
  /** Requested keys (small non-negative integers). */
  readonly keys: Int32Array;
}

/** The capacities every trace is replayed at. */
export const CAPACITIES: readonly number[] = [100, 1_000, 10_000];
const REQUESTS = 1_000_000;
const KEYS = 100_000;

/** Draws ranks 0…n−1 with P(rank r) ∝ (r + 1)^−α, by binary search on the cumulative weights. */
function zipf(n: number, alpha: number, next: () => number): () => number {
  const cumulative = new Float64Array(n);
  let total = 0;
  for (let r = 0; r < n; r++) cumulative[r] = total += (r + 1) ** -alpha;
  return () => {
    const u = next() * total;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((cumulative[mid] as number) < u) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

/**
 * Zipf-distributed requests over 100k keys.
 * @param alpha - the skew
 * @returns the trace
 */
export function zipfTrace(alpha: number): Trace {
  const rank = zipf(KEYS, alpha, random(1_000 + Math.round(alpha * 100)));
  const keys = new Int32Array(REQUESTS);
  for (let i = 0; i < REQUESTS; i++) keys[i] = rank();
  return { name: `Zipf α ${alpha}`, keys };
}

/**
 * Zipf α 0.9 whose popularity drifts: every 10k requests the ranks move 100 keys along, so a tenth
 * of the hot set is replaced by keys that were lukewarm.
 * @returns the trace
 */
export function driftTrace(): Trace {
  const rank = zipf(KEYS, 0.9, random(2_024));
  const keys = new Int32Array(REQUESTS);
  for (let i = 0; i < REQUESTS; i++) keys[i] = (rank() + Math.floor(i / 10_000) * 100) % KEYS;
  return { name: "Zipf α 0.9, drifting", keys };
}

/**
 * Zipf α 0.9 interleaved with scans: 20k Zipf requests, then 5k keys never requested before or
 * again (a report, a crawler, a batch job), and so on.
 * @returns the trace
 */
export function scanTrace(): Trace {
  const rank = zipf(KEYS, 0.9, random(7));
  const keys = new Int32Array(REQUESTS);
  let fresh = KEYS;
  for (let i = 0; i < REQUESTS; i++) keys[i] = i % 25_000 < 20_000 ? rank() : fresh++;
  return { name: "Zipf α 0.9 + scans", keys };
}

/**
 * A loop over 1.25 × capacity keys: LRU's worst case (it evicts each key just before its turn).
 * @param capacity - the cache's capacity
 * @returns the trace
 */
export function loopTrace(capacity: number): Trace {
  const length = Math.round(capacity * 1.25);
  const keys = new Int32Array(REQUESTS);
  for (let i = 0; i < REQUESTS; i++) keys[i] = i % length;
  return { name: "loop of 1.25 × capacity", keys };
}

/**
 * A recency-heavy trace: a new key every fourth request on average, and requests for keys
 * introduced recently — how far back is exponential with a mean of 250 keys. What was popular
 * a while ago is no guide to what is requested next; recency is.
 * @returns the trace
 */
export function recencyTrace(): Trace {
  const next = random(99);
  const keys = new Int32Array(REQUESTS);
  let newest = 0;
  for (let i = 0; i < REQUESTS; i++) {
    if (next() < 0.25) {
      keys[i] = ++newest;
    } else {
      const back = Math.floor(-Math.log(1 - next()) * 250);
      keys[i] = Math.max(0, newest - back);
    }
  }
  return { name: "recency-heavy", keys };
}

/** A trace of the benchmark, built on demand (the loop's length depends on the capacity). */
export interface TraceSpec {
  /** e.g. "Zipf α 0.9". */
  readonly name: string;
  /** Builds the trace for a cache of `capacity` entries. */
  readonly make: (capacity: number) => Trace;
}

/** Every trace of the benchmark, in table order. */
export const TRACES: readonly TraceSpec[] = [
  { name: "Zipf α 0.7", make: () => zipfTrace(0.7) },
  { name: "Zipf α 0.9", make: () => zipfTrace(0.9) },
  { name: "Zipf α 1.1", make: () => zipfTrace(1.1) },
  { name: "Zipf α 0.9, drifting", make: driftTrace },
  { name: "Zipf α 0.9 + scans", make: scanTrace },
  { name: "loop of 1.25 × capacity", make: loopTrace },
  { name: "recency-heavy", make: recencyTrace },
];

/**
 * Replays a trace: each request is a `get`, and a miss is followed by a `set`.
 * @param trace - the trace
 * @param cache - the cache (or store) to replay it through
 * @returns misses
 */
export function replayMisses(
  trace: Trace,
  cache: { get(key: number): unknown; set(key: number, value: number): unknown },
): number {
  let missed = 0;
  for (const key of trace.keys) {
    if (cache.get(key) === undefined) {
      missed++;
      cache.set(key, key);
    }
  }
  return missed;
}

/**
 * Replays a trace through lru-cache.
 * @param trace - the trace
 * @param capacity - `max`
 * @returns misses
 */
export function lruCacheMisses(trace: Trace, capacity: number): number {
  return replayMisses(trace, new LRUCache<number, number>({ max: capacity }));
}

/**
 * Replays a trace through a perflayer cache.
 * @param trace - the trace
 * @param capacity - `max`
 * @param policy - the eviction policy
 * @returns misses
 */
export function perflayerMisses(trace: Trace, capacity: number, policy: CachePolicy): number {
  const manager = new CacheManager({ sweepIntervalMs: 0 });
  return replayMisses(trace, manager.cache<number, number>("trace", { max: capacity, policy }));
}

/**
 * The best any fixed set of `capacity` keys can do: the most requested keys, loaded up front.
 * @param trace - the trace
 * @param capacity - how many keys fit
 * @returns misses
 */
export function staticOptimumMisses(trace: Trace, capacity: number): number {
  const counts = new Map<number, number>();
  for (const key of trace.keys) counts.set(key, (counts.get(key) ?? 0) + 1);
  const top = [...counts.values()].sort((a, b) => b - a).slice(0, capacity);
  return trace.keys.length - top.reduce((sum, n) => sum + n, 0);
}

/**
 * Bélády's optimum for a cache that may decline to store a key: on a miss with the cache full, the
 * key whose next request is furthest away (the newcomer included) is the one left out. No online
 * policy can miss less. A max-heap of next uses with lazy deletion: O(n log n).
 * @param trace - the trace
 * @param capacity - how many keys fit
 * @returns misses
 */
export function beladyMisses(trace: Trace, capacity: number): number {
  const n = trace.keys.length;
  const nextUse = new Int32Array(n);
  const seen = new Map<number, number>();
  for (let i = n - 1; i >= 0; i--) {
    const key = trace.keys[i] as number;
    nextUse[i] = seen.get(key) ?? n + i; // never again: beyond the end (distinct, ordered)
    seen.set(key, i);
  }
  const resident = new Map<number, number>(); // key -> its next use
  const heapUse = new Int32Array(n + 1);
  const heapKey = new Int32Array(n + 1);
  let size = 0;
  const push = (use: number, key: number): void => {
    let i = size++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if ((heapUse[parent] as number) >= use) break;
      heapUse[i] = heapUse[parent] as number;
      heapKey[i] = heapKey[parent] as number;
      i = parent;
    }
    heapUse[i] = use;
    heapKey[i] = key;
  };
  const pop = (): void => {
    const use = heapUse[--size] as number;
    const key = heapKey[size] as number;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= size) break;
      if (child + 1 < size && (heapUse[child + 1] as number) > (heapUse[child] as number)) child++;
      if ((heapUse[child] as number) <= use) break;
      heapUse[i] = heapUse[child] as number;
      heapKey[i] = heapKey[child] as number;
      i = child;
    }
    heapUse[i] = use;
    heapKey[i] = key;
  };
  /** The resident key used furthest in the future (stale heap entries dropped on the way). */
  const furthest = (): number => {
    while (resident.get(heapKey[0] as number) !== heapUse[0]) pop();
    return heapUse[0] as number;
  };
  let misses = 0;
  for (let i = 0; i < n; i++) {
    const key = trace.keys[i] as number;
    const use = nextUse[i] as number;
    if (resident.has(key)) {
      resident.set(key, use);
      push(use, key);
      continue;
    }
    misses++;
    if (resident.size < capacity) {
      resident.set(key, use);
      push(use, key);
    } else if (use < furthest()) {
      resident.delete(heapKey[0] as number);
      pop();
      resident.set(key, use);
      push(use, key);
    }
  }
  return misses;
}
