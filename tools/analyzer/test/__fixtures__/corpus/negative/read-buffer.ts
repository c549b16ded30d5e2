// A read buffer called "pool": no acquire/release pair.
export class Reader {
  private pool = Buffer.alloc(64 * 1024);
  private offset = 0;
  read(chunk: Buffer): Buffer {
    chunk.copy(this.pool, this.offset);
    this.offset += chunk.length;
    return this.pool.subarray(0, this.offset);
  }
}
