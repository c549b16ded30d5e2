// Bytes gathered to join the chunks and checked against a cap: data being buffered (size
// accounting's business), not a tally.
// expect: none
export class Collector {
  private chunks: Buffer[] = [];
  private receivedBytes = 0;

  add(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.receivedBytes += chunk.length;
  }

  result(): Buffer {
    return Buffer.concat(this.chunks, this.receivedBytes);
  }

  describe(): { parts: number; bytes: number; full: boolean } {
    return { parts: this.chunks.length, bytes: this.receivedBytes, full: this.receivedBytes > 1 };
  }
}
