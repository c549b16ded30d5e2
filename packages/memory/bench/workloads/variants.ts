import { CacheManager } from "@perflayer/cache";
import type { Cache } from "@perflayer/cache";
import { BufferPool, MemoryOptimizer } from "@perflayer/memory";
import type { MemoryOptimizerOptions } from "@perflayer/memory";
import type { ServiceParts } from "./service-workload.js";

/**
 * The contenders of the workload benchmarks:
 * - `unbounded`: no optimizer, a cache with `max: 1e6` (never full here);
 * - `sized`: no optimizer, a plain `max` cache (`sizedMax` entries);
 * - `sized-pool`: the same with the request buffers from a `BufferPool` (no optimizer): the plain
 *   cache to hold `optimizer-pool` against, since the pool changes how often V8 collects;
 * - `optimizer`: `MemoryOptimizer({ budget })` with its defaults, the `max: 1e6` cache registered;
 * - `optimizer-pool`: the same plus a `BufferPool` for the request buffers, registered too;
 * - `reclaim-only`: the optimizer without steering the cache's size (`steer: false`);
 * - `observed`: a plain `max` cache (`sizedMax` entries) in a process with an optimizer that has
 *   nothing registered (what the optimizer's sampling and GC observer alone change);
 * - `observed-pool`: the same with the request buffers from a `BufferPool`;
 * - `resized-pool`: no optimizer, a `BufferPool`, and the optimizer variants' `max: 1e6` cache
 *   resized by hand on a schedule (`resizeSchedule`; by default to `sizedMax` entries half a
 *   second in): a steered cache's path through sizes without the optimizer.
 */
export type Variant =
  | "unbounded"
  | "sized"
  | "sized-pool"
  | "optimizer"
  | "optimizer-pool"
  | "reclaim-only"
  | "observed"
  | "observed-pool"
  | "resized-pool";

/** The variants, in report order. */
export const VARIANTS: readonly Variant[] = [
  "unbounded",
  "sized",
  "sized-pool",
  "optimizer",
  "optimizer-pool",
  "reclaim-only",
  "observed",
  "observed-pool",
  "resized-pool",
];

/** One step of a `resized-pool` run: at `atMs`, resize the cache to about `entries` entries. */
export interface ResizeStep {
  readonly atMs: number;
  readonly entries: number;
}

/**
 * Builds a variant's cache, optimizer and buffers.
 * @param variant - which contender
 * @param budgetBytes - the optimizer's budget
 * @param sizedMax - entries of the `sized` variant's cache
 * @param unboundedBy - the other variants' cache: `max: 1e6` entries, or `maxSize: 1 TiB`
 * @param optimizerOptions - options of the optimizer variants' `MemoryOptimizer` besides the budget
 * @param resizeSchedule - the `resized-pool` variant's resizes (default: `sizedMax` entries at 500 ms)
 * @returns the parts and a function closing them
 */
export function buildVariant(
  variant: Variant,
  budgetBytes: number,
  sizedMax: number,
  unboundedBy: "max" | "maxSize" = "max",
  optimizerOptions: Omit<MemoryOptimizerOptions, "budget"> = {},
  resizeSchedule: readonly ResizeStep[] = [{ atMs: 500, entries: sizedMax }],
): ServiceParts & { readonly close: () => Promise<void> } {
  const caches = new CacheManager({ sweepIntervalMs: 0 });
  const plain =
    variant === "sized" ||
    variant === "sized-pool" ||
    variant === "observed" ||
    variant === "observed-pool";
  const cache: Cache<number, unknown> = caches.cache<number, unknown>(
    "items",
    plain ? { max: sizedMax } : unboundedBy === "max" ? { max: 1e6 } : { maxSize: 2 ** 40 },
  );
  const memory =
    variant === "unbounded" ||
    variant === "sized" ||
    variant === "sized-pool" ||
    variant === "resized-pool"
      ? undefined
      : new MemoryOptimizer({ ...optimizerOptions, budget: budgetBytes });
  const pool = variant.endsWith("-pool") ? new BufferPool({ name: "responses" }) : undefined;
  if (variant !== "observed" && variant !== "observed-pool") {
    memory?.register(cache, { priority: "low", steer: variant !== "reclaim-only" });
    if (pool !== undefined) memory?.register(pool, { priority: "low" });
  }
  // Bytes for `entries` entries at the average entry size now, with the two store slots (~28 bytes
  // each) the cache counts per entry.
  const timers =
    variant === "resized-pool"
      ? resizeSchedule.map(({ atMs, entries }) =>
          setTimeout(() => {
            if (cache.size > 0) cache.resize((cache.sizeBytes / cache.size + 56) * entries);
          }, atMs),
        )
      : [];
  return {
    cache,
    memory,
    take: pool === undefined ? (size) => Buffer.alloc(size) : (size) => pool.take(size),
    release: pool === undefined ? () => undefined : (buffer) => pool.release(buffer),
    close: async () => {
      for (const timer of timers) clearTimeout(timer);
      await memory?.close();
      await caches.close();
    },
  };
}
