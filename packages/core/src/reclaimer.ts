/**
 * Something that holds memory and can give some back when asked: caches and pools implement it;
 * `@perflayer/memory`'s `MemoryOptimizer` keeps a registry of reclaimers and asks them, in priority
 * order, for bytes under pressure. Implementing it needs no dependency on `@perflayer/memory`.
 *
 * @example
 * ```ts
 * const reclaimer: Reclaimer = {
 *   name: "thumbnails",
 *   estimatedBytes: () => thumbnails.bytes,
 *   reclaim: (target) => thumbnails.dropOldest(target), // returns bytes freed
 * };
 * ```
 */
export interface Reclaimer {
  /** A stable, low-cardinality name, used as a metric label. */
  readonly name: string;
  /**
   * @returns the bytes this reclaimer could give back now (an estimate is fine): everything a cache
   * holds, only the idle objects of a pool
   */
  estimatedBytes(): number;
  /**
   * Frees about `targetBytes`, least valuable first.
   * @param targetBytes - how many bytes the caller would like back
   * @returns the bytes actually freed (an estimate is fine)
   */
  reclaim(targetBytes: number): number | Promise<number>;
  /**
   * Optional: bytes held but in use, which cannot be given back now (a pool's objects lent out to
   * live requests). Reported apart from what is reclaimable.
   * @returns bytes in use (an estimate is fine)
   */
  inUseBytes?(): number;
}

/**
 * A reclaimer whose size bound can be steered — grown when there is room, shrunk under pressure —
 * so that its steady state fits a memory budget without repeated reclaims. Caches implement it;
 * `MemoryOptimizer` steers registered reclaimers that do.
 *
 * @example
 * ```ts
 * if (isResizable(cache)) cache.resize(32 * 2 ** 20); // hold at most about 32 MiB from now on
 * ```
 */
export interface Resizable {
  /**
   * @returns the bytes it may hold now: the last steered capacity, or its own bound in bytes
   * (`Infinity` when it has none) when it was never resized
   */
  capacityBytes(): number;
  /**
   * Sets how many bytes it may hold from now on, never above its own configured bound. When it holds
   * more, the excess goes at once, least valuable first.
   * @param capacityBytes - the new capacity (>= 0)
   * @returns the bytes freed now
   */
  resize(capacityBytes: number): number;
}

/**
 * Whether a reclaimer also implements {@link Resizable}.
 * @param reclaimer - any reclaimer
 * @returns true when it has `capacityBytes()` and `resize()`
 */
export function isResizable(reclaimer: Reclaimer): reclaimer is Reclaimer & Resizable {
  const candidate = reclaimer as Partial<Resizable>;
  return typeof candidate.resize === "function" && typeof candidate.capacityBytes === "function";
}
