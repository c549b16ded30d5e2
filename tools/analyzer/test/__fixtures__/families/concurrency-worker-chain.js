// N chains run side by side; each runs its next item when the previous one has ended.
// expect: response/concurrency-limit 11-25 elim 13 "starts its next item when one ends"
class BatchRunner {
  constructor(client, items, level) {
    this.client = client;
    this.items = items;
    this.level = Math.min(level, items.length);
  }

  run() {
    const chains = new Array(this.level);
    for (let i = 0; i < this.level; i++) {
      chains[i] = this.next(i, 0);
    }
    return Promise.all(chains);
  }

  next(first, round) {
    const index = first + this.level * round;
    if (index >= this.items.length) return Promise.resolve();
    return this.client
      .send(this.items[index])
      .catch(() => undefined)
      .then(() => this.next(first, round + 1));
  }
}

module.exports = { BatchRunner };
