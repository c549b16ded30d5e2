// Compressed frames are written one at a time: a busy flag and a queue.
// expect: response/concurrency-limit 3-24 elim 20 "lets one task run at a time"
class FrameWriter {
  constructor(write) {
    this.write = write;
    this.busy = false;
    this.queue = [];
  }

  push(frame) {
    if (this.busy) {
      this.queue.push(frame);
      return;
    }
    this.busy = true;
    this.write(frame, () => this.next());
  }

  next() {
    this.busy = false;
    const frame = this.queue.shift();
    if (frame !== undefined) this.push(frame);
  }
}

module.exports = { FrameWriter };
