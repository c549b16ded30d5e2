// Log lines buffered up to a byte budget, then flushed.
// expect: memory/size-accounting 13-18 elim 6 "running size"
class LineBuffer {
  constructor(maxBytes, flush) {
    this.maxBytes = maxBytes;
    this.flush = flush;
    this.lines = [];
    this.bytes = 0;
  }

  add(line) {
    this.lines.push(line);
    this.bytes += Buffer.byteLength(line);
    if (this.bytes >= this.maxBytes) {
      this.flush(this.lines);
      this.lines = [];
      this.bytes = 0;
    }
  }
}

module.exports = { LineBuffer };
