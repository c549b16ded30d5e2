// A byte total kept under a cursor-like name: each metric line's byte length is added to
// `_offset`, and the batch is queued when the next line would pass the limit. It is never used as
// a position (no index, no argument), so it is a total, not a cursor.
// expect: memory/size-accounting 16-19 elim 4 "running size `this._offset`"
const MAX_BUFFER_BYTES = 1024;

export class MetricBuffer {
  constructor() {
    this._buffer = "";
    this._offset = 0;
    this._queue = [];
  }

  write(line) {
    const bytes = Buffer.byteLength(line);
    if (this._offset + bytes > MAX_BUFFER_BYTES) {
      this.enqueue();
    }
    this._offset += bytes;
    this._buffer += line;
  }

  enqueue() {
    if (this._offset > 0) {
      this._queue.push(Buffer.from(this._buffer));
      this._buffer = "";
      this._offset = 0;
    }
    return this._queue;
  }
}
