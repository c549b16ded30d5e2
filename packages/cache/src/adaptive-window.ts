import { GhostFilter } from "./ghost-filter.js";
import type { WindowStrategy } from "./window-strategy.js";

/** The window's share of the capacity at the start (Caffeine's 1 %). */
const INITIAL_RATIO = 0.01;
/** How far back each ghost list remembers, as a share of the capacity (in evictions). */
const GHOST_HORIZON = 1 / 16;

/**
 * Sizes the admission window by climbing towards the hit ratio's peak. Caffeine samples the hit
 * ratio and steps the window while it improves; replayed in the same store on the hit-ratio traces
 * (`bench/window-strategies.ts`, the package README) that was lower on 16 of 21 and fell behind
 * lru-cache on the recency-heavy trace. Here each side estimates its own marginal hits: keys the
 * policy just evicted are remembered per side — window candidates it refused, main-region victims
 * it dropped — for the last `capacity / 16` evictions of that side. A
 * request for a key the window refused is a hit a slightly larger window would have had: the window
 * grows by one entry. A request for a key the main region dropped is a hit a slightly larger main
 * region would have had: the window shrinks by one entry. The window settles where the two are
 * equally likely — where moving an entry either way gains nothing — which is LRU's shape for
 * recency-biased workloads and a small window for frequency-biased ones.
 * @internal
 */
export class AdaptiveWindow implements WindowStrategy {
  #ratio = INITIAL_RATIO;
  #step = 0;
  #refused!: GhostFilter;
  #dropped!: GhostFilter;
  #adjustments = 0;

  /** @param capacity - entries the cache holds (or is expected to hold) */
  constructor(capacity: number) {
    this.resize(capacity);
  }

  /** @returns the window's share of the capacity, 0–1 */
  get ratio(): number {
    return this.#ratio;
  }

  /** @returns how many times the window moved */
  get adjustments(): number {
    return this.#adjustments;
  }

  /** @returns bytes held by the two ghost lists */
  get bytes(): number {
    return this.#refused.bytes + this.#dropped.bytes;
  }

  /**
   * Sizes the ghost lists and the step for a capacity (forgetting what they held).
   * @param capacity - entries the cache holds
   */
  resize(capacity: number): void {
    this.#refused = new GhostFilter(capacity * GHOST_HORIZON);
    this.#dropped = new GhostFilter(capacity * GHOST_HORIZON);
    this.#step = 1 / capacity;
  }

  /** @param hash - a window candidate evicted without entering the main region */
  refused(hash: number): void {
    this.#refused.add(hash);
  }

  /** @param hash - a main-region entry evicted */
  dropped(hash: number): void {
    this.#dropped.add(hash);
  }

  /**
   * A key was missed (and is being stored): moves the window if the key was evicted recently.
   * @param hash - the key's hash
   * @returns whether the window moved
   */
  missed(hash: number): boolean {
    let ratio = this.#ratio;
    if (this.#refused.contains(hash)) ratio += this.#step;
    if (this.#dropped.contains(hash)) ratio -= this.#step;
    ratio = Math.min(1, Math.max(0, ratio));
    if (ratio === this.#ratio) return false;
    this.#ratio = ratio;
    this.#adjustments++;
    return true;
  }
}
