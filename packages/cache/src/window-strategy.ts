/**
 * How a W-TinyLFU store sizes its admission window: where the border between the window and the
 * main region lies, as a share of the capacity. The store tells it what the border decides — the
 * keys it evicted from each side, the keys it missed — and re-sizes its regions when `missed`
 * says the window moved. The package ships one (`AdaptiveWindow`); the seam lets
 * `bench/window-strategies.ts` measure another (Caffeine's hill climbing) in the same store.
 * @internal
 */
export interface WindowStrategy {
  /** The window's share of the capacity, 0–1. */
  readonly ratio: number;
  /** How many times the window moved. */
  readonly adjustments: number;
  /** Bytes the strategy holds. */
  readonly bytes: number;
  /**
   * Sizes the strategy for a capacity, forgetting what it learnt.
   * @param capacity - entries the cache holds (or is expected to hold)
   */
  resize(capacity: number): void;
  /** @param hash - a window candidate evicted without entering the main region */
  refused(hash: number): void;
  /** @param hash - a main-region entry evicted */
  dropped(hash: number): void;
  /**
   * A key was missed and is being stored.
   * @param hash - the key's hash
   * @returns whether the window moved
   */
  missed(hash: number): boolean;
}
