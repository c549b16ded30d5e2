export class Asset {
  #text?: string;

  constructor(private readonly buffer: Uint8Array) {}

  size(): number {
    if (this.#text === undefined) {
      this.#text = new TextDecoder().decode(this.buffer);
    }
    return Math.max(1, this.#text.length);
  }
}
