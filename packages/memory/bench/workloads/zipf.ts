/**
 * A seeded Zipf-like key picker over a key space that may grow: rank k (0-based) is drawn with
 * probability ∝ 1 / (k + 1)^s, by inverting the continuous distribution (exact enough for a
 * workload, and O(1) per draw whatever the key space).
 */
export class Zipf {
  readonly #s: number;
  #state: number;

  /**
   * @param s - the exponent (1 is classic Zipf)
   * @param seed - the seed of the uniform generator (mulberry32)
   */
  constructor(s: number, seed: number) {
    this.#s = s;
    this.#state = seed >>> 0;
  }

  /** @returns a uniform number in [0, 1) */
  uniform(): number {
    let t = (this.#state = (this.#state + 0x6d2b79f5) | 0);
    t = Math.imul(t ^ (t >>> 15), 1 | t);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  }

  /**
   * @param keys - the key space's size now
   * @returns a key in [0, keys)
   */
  next(keys: number): number {
    const u = this.uniform();
    const s = this.#s;
    const x =
      s === 1 ? Math.pow(keys, u) : Math.pow(1 + u * (Math.pow(keys, 1 - s) - 1), 1 / (1 - s));
    return Math.min(keys - 1, Math.floor(x) - 1);
  }
}
