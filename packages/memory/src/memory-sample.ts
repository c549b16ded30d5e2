import { readFileSync } from "node:fs";
import { getHeapSpaceStatistics, getHeapStatistics } from "node:v8";

/** One reading of the process's memory. All figures in bytes. */
export interface MemorySample {
  /** V8 heap in use. */
  readonly heapUsed: number;
  /**
   * The part of `heapUsed` in V8's young generation (new space), which fills and empties between
   * minor GCs whatever the live set; absent when unknown (counted as 0).
   */
  readonly youngHeapUsed?: number;
  /** Memory outside the V8 heap held by JS objects (Buffers, ArrayBuffers, native addons). */
  readonly external: number;
  /** Resident set size of the process. */
  readonly rss: number;
  /** Linux PSI `some avg10` for memory (share of time stalled on memory, 0–100), when readable. */
  readonly psiSome10?: number;
}

/**
 * Reads heap, external and RSS figures (`process.memoryUsage()`), the young generation's share of
 * the heap (`v8.getHeapSpaceStatistics()`) and, on Linux, memory PSI.
 * @param psiPath - the PSI file, or `false` to skip it
 * @returns the sample
 */
export function sampleMemory(psiPath: string | false = "/proc/pressure/memory"): MemorySample {
  const usage = process.memoryUsage();
  const sample = {
    heapUsed: usage.heapUsed,
    youngHeapUsed: heapSpaces().youngHeapUsed,
    external: usage.external,
    rss: usage.rss,
  };
  if (psiPath === false) return sample;
  const psi = readPsi(psiPath);
  return psi === undefined ? sample : { ...sample, psiSome10: psi };
}

/**
 * The heap in use and its young generation (new space), from V8's heap spaces alone: cheaper than
 * `process.memoryUsage()`, which also reads RSS.
 * @returns bytes in use, all spaces and the young ones
 */
export function heapSpaces(): { heapUsed: number; youngHeapUsed: number } {
  let heapUsed = 0;
  let youngHeapUsed = 0;
  for (const space of getHeapSpaceStatistics()) {
    heapUsed += space.space_used_size;
    if (space.space_name.startsWith("new_")) youngHeapUsed += space.space_used_size;
  }
  return { heapUsed, youngHeapUsed };
}

/**
 * Parses `some avg10=` from a PSI file.
 * @param path - e.g. `/proc/pressure/memory`
 * @returns the value, or undefined when the file is missing or unreadable
 */
export function readPsi(path: string): number | undefined {
  try {
    const match = /some avg10=([\d.]+)/.exec(readFileSync(path, "utf8"));
    return match?.[1] === undefined ? undefined : Number(match[1]);
  } catch {
    return undefined;
  }
}

/** The memory ceiling the process actually has. */
export interface EffectiveLimit {
  /** The smaller of the V8 heap limit and a real cgroup limit, in bytes. */
  readonly bytes: number;
  /** Which one it is. */
  readonly source: "v8-heap-limit" | "cgroup";
}

/**
 * The effective memory limit: V8's `heap_size_limit`, or the cgroup limit from
 * `process.constrainedMemory()` when that is real and smaller. Node reports "no cgroup limit" as
 * UINT64_MAX (or 0 on some versions); both read as no limit.
 * @param constrained - `process.constrainedMemory()` (injectable for tests)
 * @param heapLimit - V8's `heap_size_limit` (injectable for tests)
 * @returns the limit and its source
 */
export function effectiveLimit(
  constrained: number | undefined = process.constrainedMemory?.(),
  heapLimit: number = getHeapStatistics().heap_size_limit,
): EffectiveLimit {
  const real = constrained !== undefined && constrained > 0 && constrained < 2 ** 62;
  return real && constrained < heapLimit
    ? { bytes: constrained, source: "cgroup" }
    : { bytes: heapLimit, source: "v8-heap-limit" };
}
