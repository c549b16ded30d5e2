/**
 * The sliding time window of a monitor: `slots` sub-windows of `slotMs` each, rotated by one timer.
 * Histograms keep bucket counts per slot (for window percentiles); counters keep their value at
 * each rotation (for window rates).
 */
export class MetricWindow {
  /** Number of sub-windows. */
  readonly slots: number;
  /** Length of one sub-window in milliseconds. */
  readonly slotMs: number;
  /** Index of the current slot. */
  cursor = 0;
  /** The clock time at which each slot began. */
  readonly startedAt: Float64Array;

  /**
   * @param windowMs - the whole window
   * @param slots - how many sub-windows it is cut into
   * @param now - the current time
   */
  constructor(windowMs: number, slots: number, now: number) {
    this.slots = slots;
    this.slotMs = windowMs / slots;
    this.startedAt = new Float64Array(slots).fill(now);
  }

  /**
   * Moves to the next slot.
   * @param now - the current time
   * @returns the new cursor
   */
  advance(now: number): number {
    this.cursor = (this.cursor + 1) % this.slots;
    this.startedAt[this.cursor] = now;
    return this.cursor;
  }

  /** @returns the index of the oldest slot still in the window */
  get oldest(): number {
    return (this.cursor + 1) % this.slots;
  }

  /**
   * @param now - the current time
   * @returns the span the window currently covers, in milliseconds
   */
  span(now: number): number {
    return Math.max(1, now - (this.startedAt[this.oldest] as number));
  }
}
