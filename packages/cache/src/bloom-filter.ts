/**
 * A Bloom filter of key hashes (two probes): "probably seen" or "certainly not". TinyLFU's
 * doorkeeper is one, and so are the policy's ghost lists of recently evicted keys.
 * @internal
 */
export class BloomFilter {
  readonly #bits: Uint32Array;
  readonly #shift: number;

  /** @param bitCount - a power of two, at least 64 */
  constructor(bitCount: number) {
    this.#bits = new Uint32Array(bitCount >>> 5);
    this.#shift = 32 - Math.log2(bitCount);
  }

  /** @returns bytes held by the filter */
  get bytes(): number {
    return this.#bits.byteLength;
  }

  /**
   * @param hash - the key's hash
   * @returns whether the key was (probably) seen since the last clear
   */
  contains(hash: number): boolean {
    const a = Math.imul(hash, 0x2545f491) >>> this.#shift;
    const b = Math.imul(hash, 0x6c8e9cf5) >>> this.#shift;
    const bits = this.#bits;
    return (
      ((bits[a >>> 5] as number) & (1 << (a & 31))) !== 0 &&
      ((bits[b >>> 5] as number) & (1 << (b & 31))) !== 0
    );
  }

  /**
   * Records the key.
   * @param hash - the key's hash
   * @returns whether it was already there (probably)
   */
  put(hash: number): boolean {
    const a = Math.imul(hash, 0x2545f491) >>> this.#shift;
    const b = Math.imul(hash, 0x6c8e9cf5) >>> this.#shift;
    const bits = this.#bits;
    const maskA = 1 << (a & 31);
    const maskB = 1 << (b & 31);
    const wordA = bits[a >>> 5] as number;
    const wordB = bits[b >>> 5] as number;
    if ((wordA & maskA) !== 0 && (wordB & maskB) !== 0) return true;
    bits[a >>> 5] = wordA | maskA;
    bits[b >>> 5] = (bits[b >>> 5] as number) | maskB;
    return false;
  }

  /** Forgets every key. */
  clear(): void {
    this.#bits.fill(0);
  }
}
