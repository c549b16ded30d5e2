// Requests in flight are kept by id; once `maxInFlight` are out, more wait in a FIFO that is
// drained as replies come back.
// expect: response/concurrency-limit 4-37 elim 30 "counts running tasks"
class Channel {
  constructor(socket, maxInFlight) {
    this.socket = socket;
    this.maxInFlight = maxInFlight;
    this.inflight = new Map();
    this.waiting = [];
    socket.on("reply", (id, body) => this.onReply(id, body));
  }

  send(id, payload, done) {
    this.waiting.push({ id, payload, done });
    this.pump();
  }

  pump() {
    while (this.waiting.length > 0 && this.hasRoom()) {
      const next = this.waiting.shift();
      this.inflight.set(next.id, next);
      this.socket.write(next.id, next.payload);
    }
  }

  hasRoom() {
    return this.inflight.size < this.maxInFlight;
  }

  onReply(id, body) {
    const entry = this.inflight.get(id);
    if (entry === undefined) return;
    this.inflight.delete(id);
    entry.done(body);
    this.pump();
  }
}

module.exports = { Channel };
