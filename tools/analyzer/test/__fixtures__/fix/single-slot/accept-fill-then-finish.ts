// The slot is filled, then finished through itself before it is returned (tedious' collation).
export class Collation {
  private buffer: Buffer | undefined;

  constructor(
    private readonly lcid: number,
    private readonly sortId: number,
  ) {}

  toBuffer(): Buffer {
    if (this.buffer) {
      return this.buffer;
    }

    this.buffer = Buffer.alloc(2);

    this.buffer[0] = this.lcid & 0xff;
    this.buffer[1] = this.sortId & 0xff;

    return this.buffer;
  }
}
