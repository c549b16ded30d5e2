// A limit algorithm's window: the sum and count of round-trip times give the window's average,
// which moves the limit, and the drops decide whether it backs off. Zeroed fields declared
// together and counted elsewhere, but algorithm state, not a tally record or a metric.
// expect: none
export interface Window {
  readonly drops: number;
  readonly average: number;
}

export class WindowedLimiter {
  #sum = 0;
  #samples = 0;
  #drops = 0;
  #limit = 10;
  #best = Number.POSITIVE_INFINITY;

  /** @param minSamples - samples a window needs before it closes */
  constructor(private readonly minSamples: number) {}

  /** @returns the limit in force */
  get limit(): number {
    return this.#limit;
  }

  /**
   * Takes one completed task; closes the window once it has enough samples.
   * @returns what the closed window saw, or undefined while it stays open
   */
  sample(rtt: number, dropped: boolean): Window | undefined {
    if (dropped) this.#drops++;
    else {
      this.#sum += rtt;
      this.#samples++;
    }
    if (this.#samples + this.#drops < this.minSamples) return undefined;
    const average = this.#samples === 0 ? Number.NaN : this.#sum / this.#samples;
    if (this.#drops > 0) this.#limit = Math.max(1, Math.floor(this.#limit * 0.9));
    else if (average < this.#best) {
      this.#best = average;
      this.#limit += 1;
    }
    const window: Window = { drops: this.#drops, average };
    this.#sum = 0;
    this.#samples = 0;
    this.#drops = 0;
    return window;
  }
}
