// expect: memory/object-pool
export class BufferPool {
  private readonly free: Buffer[] = [];
  constructor(private readonly size: number) {}

  acquire(): Buffer {
    return this.free.pop() ?? Buffer.alloc(this.size);
  }

  release(buffer: Buffer): void {
    buffer.fill(0);
    this.free.push(buffer);
  }
}
