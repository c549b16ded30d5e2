// Workers run several tasks each up to a maximum; a task goes to the least used ready worker,
// an idle one at once.
// expect: memory/object-pool 12-24 elim 13 "whose load is below a limit it keeps"
export class WorkerSet {
  constructor(maximumUsage) {
    this.maximumUsage = maximumUsage;
    this.ready = new Set();
  }
  add(worker) {
    this.ready.add(worker);
  }
  findAvailable() {
    let minUsage = this.maximumUsage;
    let candidate = null;
    for (const worker of this.ready) {
      const usage = worker.currentUsage();
      if (usage === 0) return worker;
      if (usage < minUsage) {
        candidate = worker;
        minUsage = usage;
      }
    }
    return candidate;
  }
}
