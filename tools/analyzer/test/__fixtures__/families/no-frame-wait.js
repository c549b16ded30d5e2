// Bytes gathered until a frame is whole, and a read refused before enough arrived: totals checked
// from below (waiting for more), not against a limit.
// expect: none
class FrameReader {
  constructor() {
    this.buffers = [];
    this.bufferedBytes = 0;
    this.payloadLength = 0;
  }

  write(chunk) {
    this.buffers.push(chunk);
    this.bufferedBytes += chunk.length;
    if (this.bufferedBytes < this.payloadLength) {
      return false;
    }
    return this.consume(this.payloadLength);
  }

  consume(n) {
    if (n > this.bufferedBytes) {
      throw new Error(`Expected ${n} buffered bytes before consume(), got ${this.bufferedBytes}.`);
    }
    this.bufferedBytes -= n;
    return Buffer.concat(this.buffers.splice(0), n);
  }
}

module.exports = { FrameReader };
