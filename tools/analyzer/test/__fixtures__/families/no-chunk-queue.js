// Received chunks queued and consumed byte by byte: the first chunk is cut in place when only part
// of it is read, a new buffer is made when a read spans chunks. Data, not objects lent and returned.
// expect: none
export class Receiver {
  constructor() {
    this.parts = [];
    this.buffered = 0;
  }

  write(chunk) {
    this.parts.push(chunk);
    this.buffered += chunk.length;
  }

  consume(n) {
    this.buffered -= n;
    const first = this.parts[0];
    if (first.length > n) {
      this.parts[0] = first.subarray(n);
      return first.subarray(0, n);
    }
    if (first.length === n) return this.parts.shift();
    const out = Buffer.allocUnsafe(n);
    let offset = 0;
    while (offset < n) {
      const next = this.parts.shift();
      out.set(next, offset);
      offset += next.length;
    }
    return out;
  }
}
