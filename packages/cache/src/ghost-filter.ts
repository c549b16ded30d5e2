import { BloomFilter } from "./bloom-filter.js";

const BITS_PER_KEY = 32;

/**
 * The keys most recently evicted from one side of the policy, approximately: two generations of
 * Bloom filters, the older dropped when the newer has taken `horizon` keys. It remembers the last
 * `horizon` to `2 × horizon` keys added.
 * @internal
 */
export class GhostFilter {
  #current: BloomFilter;
  #previous: BloomFilter;
  #added = 0;
  readonly #horizon: number;

  /** @param horizon - keys a generation takes */
  constructor(horizon: number) {
    this.#horizon = Math.max(4, Math.ceil(horizon));
    const bits = 2 ** Math.ceil(Math.log2(this.#horizon * BITS_PER_KEY));
    this.#current = new BloomFilter(bits);
    this.#previous = new BloomFilter(bits);
  }

  /** @returns bytes held */
  get bytes(): number {
    return this.#current.bytes + this.#previous.bytes;
  }

  /** @param hash - an evicted key's hash */
  add(hash: number): void {
    if (this.#added++ === this.#horizon) {
      const recycled = this.#previous;
      recycled.clear();
      this.#previous = this.#current;
      this.#current = recycled;
      this.#added = 1;
    }
    this.#current.put(hash);
  }

  /**
   * @param hash - a key's hash
   * @returns whether the key was (probably) evicted recently
   */
  contains(hash: number): boolean {
    return this.#current.contains(hash) || this.#previous.contains(hash);
  }
}
