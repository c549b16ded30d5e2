// A frame reader's predicate says whether enough bytes arrived to read the next frame: the
// buffered count is compared with what the frame needs, a protocol step, not a budget.
// expect: none
export class FrameReader {
  private buffered = 0;
  private readonly chunks: Uint8Array[] = [];

  push(chunk: Uint8Array): void {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
  }

  hasFrame(needed: number): boolean {
    return this.buffered >= needed;
  }
}
