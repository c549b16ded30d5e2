// Caffeine's way of sizing W-TinyLFU's admission window, measured against the package's ghost
// filters by bench/window-strategies.ts and not shipped: it lost on the hit-ratio traces (see the
// package README, "Adaptive window: why not hill climbing").
import type { WindowStrategy } from "../src/window-strategy.ts";

/** The window's share of the capacity at the start (Caffeine's 1 %). */
const INITIAL_RATIO = 0.01;
/** Reads per hit-ratio sample, per entry of capacity (Caffeine's: the sketch's aging period). */
export const SAMPLE_PER_ENTRY = 10;
/** A step's size after a restart, as a share of the capacity. */
const STEP = 0.0625;
/** A change of the sampled hit ratio at least this large restarts the climb with a full step. */
const RESTART = 0.05;
/** Each sample without a restart shrinks the step by this factor. */
const DECAY = 0.98;

/**
 * Sizes the admission window by hill climbing on the sampled hit ratio, as Caffeine does: every
 * `samplePerEntry × capacity` reads it takes the hit ratio of that sample and moves the border by a
 * step — in the same direction as the last move when the hit ratio did not fall, in the other when
 * it fell. The step starts at 6.25 % of the capacity and decays by 2 % a sample, so the climb
 * settles; a change of the hit ratio by 0.05 or more (the workload changed) restarts it with a full
 * step. The first move shrinks the window.
 */
export class HillClimbingWindow implements WindowStrategy {
  readonly #reads: () => number;
  readonly #samplePerEntry: number;
  #ratio = INITIAL_RATIO;
  #step = -STEP;
  #sampleSize = 0;
  #sampleStart = Number.NaN;
  #misses = 0;
  #previous = 0;
  #adjustments = 0;

  /**
   * @param capacity - entries the cache holds
   * @param reads - reads of the cache so far (hits and misses)
   * @param samplePerEntry - reads per sample, per entry of capacity
   */
  constructor(capacity: number, reads: () => number, samplePerEntry = SAMPLE_PER_ENTRY) {
    this.#reads = reads;
    this.#samplePerEntry = samplePerEntry;
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

  /** @returns 0: a climber holds no per-key state */
  get bytes(): number {
    return 0;
  }

  /**
   * Sizes the sample for a capacity and starts a fresh one with a full step.
   * @param capacity - entries the cache holds
   */
  resize(capacity: number): void {
    this.#sampleSize = this.#samplePerEntry * capacity;
    this.#misses = 0;
    this.#sampleStart = Number.NaN;
    this.#step = Math.sign(this.#step) * STEP;
  }

  /** Nothing to learn from a refused candidate: the hit ratio says it all. */
  refused(): void {}

  /** Nothing to learn from a dropped victim: the hit ratio says it all. */
  dropped(): void {}

  /**
   * Counts a miss; at the end of a sample, moves the window.
   * @returns whether the window moved
   */
  missed(): boolean {
    const reads = this.#reads();
    // A sample starts at the first miss after a resize.
    if (Number.isNaN(this.#sampleStart)) this.#sampleStart = reads - 1;
    this.#misses++;
    const requests = reads - this.#sampleStart;
    if (requests < this.#sampleSize) return false;
    const hitRatio = 1 - Math.min(this.#misses, requests) / requests;
    const change = hitRatio - this.#previous;
    const amount = change >= 0 ? this.#step : -this.#step;
    this.#step = Math.abs(change) >= RESTART ? (amount >= 0 ? STEP : -STEP) : DECAY * amount;
    this.#previous = hitRatio;
    this.#misses = 0;
    this.#sampleStart = reads;
    const ratio = Math.min(1, Math.max(0, this.#ratio + amount));
    if (ratio === this.#ratio) return false;
    this.#ratio = ratio;
    this.#adjustments++;
    return true;
  }
}
