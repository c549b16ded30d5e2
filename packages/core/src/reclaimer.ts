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
  /** @returns the bytes this reclaimer currently holds (an estimate is fine) */
  estimatedBytes(): number;
  /**
   * Frees about `targetBytes`, least valuable first.
   * @param targetBytes - how many bytes the caller would like back
   * @returns the bytes actually freed (an estimate is fine)
   */
  reclaim(targetBytes: number): number | Promise<number>;
}
