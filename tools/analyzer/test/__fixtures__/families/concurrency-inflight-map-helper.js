// Requests in flight kept by id and refused once `maxPending` are out; a reply takes its entry,
// drops it through a helper method and settles it, and a lost peer rejects all of its own.
// expect: response/concurrency-limit 4-36 elim 29 "counts running tasks"
class Transit {
  constructor(maxPending) {
    this.maxPending = maxPending;
    this.pending = new Map();
  }

  request(id, send) {
    if (this.pending.size >= this.maxPending) return Promise.reject(new Error("queue is full"));
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      send(id);
    });
  }

  onReply(id, error, data) {
    const req = this.pending.get(id);
    if (req === undefined) return;
    this.removePending(id);
    if (error) req.reject(error);
    else req.resolve(data);
  }

  removePending(id) {
    this.pending.delete(id);
  }

  dropAll(reason) {
    this.pending.forEach((req, id) => {
      this.pending.delete(id);
      req.reject(reason);
    });
  }
}

module.exports = { Transit };
