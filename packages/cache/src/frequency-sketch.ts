import { BloomFilter } from "./bloom-filter.js";

/** Counters per entry of capacity (before rounding up to a power of two). */
const COUNTERS_PER_ENTRY = 8;
/** Doorkeeper bits per entry of capacity (before rounding up to a power of two). */
const DOORKEEPER_BITS_PER_ENTRY = 16;
/** Accesses recorded between two agings, per entry of capacity (TinyLFU's sample size W). */
const SAMPLE_PER_ENTRY = 10;
const MIN_CAPACITY = 64;

function powerOfTwoAtLeast(n: number): number {
  return 2 ** Math.ceil(Math.log2(Math.max(n, 1)));
}

/**
 * The popularity history of TinyLFU: a count-min sketch of 4-bit counters (eight to a 32-bit word,
 * four per key, double hashing) behind a doorkeeper ({@link BloomFilter}). A key's first access
 * only marks it in the doorkeeper; from the second on, the counters count it, so one-hit wonders —
 * most keys of a long-tailed workload — never crowd the counters of the keys that repeat. A key's
 * estimate is the smallest of its four counters, plus one when the doorkeeper has seen it. After
 * `10 × capacity` recorded accesses every counter is halved and the doorkeeper cleared (aging), so
 * yesterday's favourites make way for today's; counters saturate at 15, which is all an admission
 * decision needs.
 * @internal
 */
export class FrequencySketch {
  #table!: Uint32Array;
  #shift = 0;
  #doorkeeper!: BloomFilter;
  #capacity = 0;
  #sampleSize = 0;
  #additions = 0;
  #resets = 0;
  readonly #onAge: () => void;

  /**
   * @param capacity - entries the cache holds (or is expected to hold)
   * @param onAge - called after each aging (for the sketch-resets metric)
   */
  constructor(capacity: number, onAge: () => void) {
    this.#onAge = onAge;
    this.#allocate(capacity);
  }

  /** @returns the capacity the sketch is sized for */
  get capacity(): number {
    return this.#capacity;
  }

  /** @returns how many times the counters were halved */
  get resets(): number {
    return this.#resets;
  }

  /** @returns bytes held by the counters and the doorkeeper */
  get bytes(): number {
    return this.#table.byteLength + this.#doorkeeper.bytes;
  }

  /**
   * Grows the sketch when the cache outgrows it (caches bounded by bytes only learn their entry
   * count as they fill). Growing starts the history afresh; it happens once per doubling.
   * @param capacity - entries the cache holds now
   * @returns whether the sketch grew
   */
  ensureCapacity(capacity: number): boolean {
    if (capacity <= this.#capacity) return false;
    this.#allocate(capacity * 2);
    return true;
  }

  /**
   * Records accesses of a key.
   * @param hash - the key's hash
   * @param times - how many accesses (the first one since the last aging only marks the doorkeeper)
   */
  increment(hash: number, times = 1): void {
    if (times <= 0) return;
    const add = this.#doorkeeper.put(hash) ? times : times - 1;
    if (add > 0) {
      const table = this.#table;
      const step = (Math.imul(hash, 0x85ebca77) >>> this.#shift) | 1;
      const mask = (1 << (32 - this.#shift)) - 1;
      let index = Math.imul(hash, 0x9e3779b1) >>> this.#shift;
      for (let i = 0; i < 4; i++) {
        const word = index >>> 3;
        const offset = (index & 7) << 2;
        const value = table[word] as number;
        const count = (value >>> offset) & 15;
        table[word] = value + (Math.min(add, 15 - count) << offset);
        index = (index + step) & mask;
      }
    }
    this.#additions += times;
    if (this.#additions >= this.#sampleSize) this.#age();
  }

  /**
   * @param hash - the key's hash
   * @returns the estimated number of recent accesses, 0–16
   */
  frequency(hash: number): number {
    const table = this.#table;
    const step = (Math.imul(hash, 0x85ebca77) >>> this.#shift) | 1;
    const mask = (1 << (32 - this.#shift)) - 1;
    let index = Math.imul(hash, 0x9e3779b1) >>> this.#shift;
    let min = 15;
    for (let i = 0; i < 4; i++) {
      const count = ((table[index >>> 3] as number) >>> ((index & 7) << 2)) & 15;
      if (count < min) min = count;
      index = (index + step) & mask;
    }
    return this.#doorkeeper.contains(hash) ? min + 1 : min;
  }

  /** Halves every counter and clears the doorkeeper. */
  #age(): void {
    const table = this.#table;
    for (let i = 0; i < table.length; i++) table[i] = ((table[i] as number) >>> 1) & 0x77777777;
    this.#doorkeeper.clear();
    this.#additions >>>= 1;
    this.#resets++;
    this.#onAge();
  }

  #allocate(capacity: number): void {
    const entries = Math.max(MIN_CAPACITY, Math.ceil(capacity));
    const counters = powerOfTwoAtLeast(entries * COUNTERS_PER_ENTRY);
    this.#table = new Uint32Array(counters >>> 3);
    this.#shift = 32 - Math.log2(counters);
    this.#doorkeeper = new BloomFilter(powerOfTwoAtLeast(entries * DOORKEEPER_BITS_PER_ENTRY));
    this.#capacity = entries;
    this.#sampleSize = entries * SAMPLE_PER_ENTRY;
    this.#additions = 0;
  }
}
