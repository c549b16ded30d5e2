// Module-level spare buffers: take one (or allocate) and give it back, bounded.
// expect: memory/object-pool 3-13 elim 9 "free list"
const spare: Buffer[] = [];

export function takeBuffer(size: number): Buffer {
  const buffer = spare.pop();
  if (buffer && buffer.length >= size) return buffer;
  return Buffer.alloc(Math.max(size, 16 * 1024));
}

export function releaseBuffer(buffer: Buffer): void {
  if (spare.length < 64) spare.push(buffer);
}
