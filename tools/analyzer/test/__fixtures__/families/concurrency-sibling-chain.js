// Nested transactions of one parent run one after another: each waits for the parent's last child
// and becomes the last child itself (errors swallowed on the internal chain).
// expect: response/concurrency-limit 4-19 elim 15 "is a promise chain"
class Transaction {
  constructor(parent, work) {
    this.parent = parent;
    this.lastChild = Promise.resolve();
    const previousSibling = parent ? parent.lastChild : Promise.resolve();
    const run = previousSibling.then(() => work(this));
    this.promise = run.then((x) => x);
    if (parent) {
      parent.lastChild = run.catch(() => {});
    }
  }

  then(onValue, onError) {
    return this.promise.then(onValue, onError);
  }
}

module.exports = { Transaction };
