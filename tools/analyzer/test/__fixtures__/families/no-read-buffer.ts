// A read buffer named "pool", reused for every read: no objects are borrowed or returned.
// expect: none
const pool = Buffer.alloc(64 * 1024);
export function readChunk(read: (into: Buffer) => number): Buffer {
  const n = read(pool);
  return Buffer.from(pool.subarray(0, n));
}
