// Operations of one key run one after another: each is chained onto the key's tail promise and
// becomes the new tail; the entry goes when the chain drains.
// expect: response/concurrency-limit 4-32 elim 26 "is a promise chain"
class KeyedQueue {
  constructor() {
    this.queue = {};
  }

  enqueue(key, operation) {
    const entry = this.before(key);
    const previous = entry[1];
    const next = previous.then(operation);
    const wrapped = next.then((result) => {
      this.after(key);
      return result;
    });
    entry[1] = wrapped;
    return wrapped;
  }

  before(key) {
    let entry = this.queue[key];
    if (!entry) this.queue[key] = entry = [0, Promise.resolve()];
    entry[0]++;
    return entry;
  }

  after(key) {
    const entry = this.queue[key];
    if (entry && --entry[0] <= 0) delete this.queue[key];
  }
}

module.exports = { KeyedQueue };
