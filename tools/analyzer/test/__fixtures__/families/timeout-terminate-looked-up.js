// A run limit per job: when the worker comes online a timer is kept per job, and when it fires the
// worker looked up for the job is terminated. The worker is reached through a call (`get(name)`).
// expect: response/timeout 14-21 elim 8 "`this.workers.get(…).terminate`s the operation"
export class Runner {
  constructor(limitMs) {
    this.limitMs = limitMs;
    this.workers = new Map();
    this.limits = new Map();
  }

  watch(name, worker) {
    this.workers.set(name, worker);
    worker.on("online", () => {
      this.limits.set(
        name,
        setTimeout(() => {
          if (this.workers.has(name)) {
            this.workers.get(name).terminate();
          }
        }, this.limitMs),
      );
    });
  }
}
