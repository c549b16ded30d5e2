// A count kept on an options object and read back to decide: a cap, not a tally for others.
// expect: none
export class Uploader {
  constructor(private readonly options: { parts: number; maxParts: number }) {}

  addPart(send: () => void): boolean {
    if (this.options.parts >= this.options.maxParts) return false;
    this.options.parts++;
    send();
    return true;
  }
}
