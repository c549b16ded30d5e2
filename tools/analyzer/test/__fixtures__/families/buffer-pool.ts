// A buffer pool class: a free list popped (a new buffer when empty) and pushed back.
// expect: memory/object-pool 3-15 elim 11 "free list"
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
