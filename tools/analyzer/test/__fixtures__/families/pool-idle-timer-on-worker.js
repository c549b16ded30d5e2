// A worker left without tasks gets an idle timer, kept on the worker (cleared when a task comes);
// it removes the worker if the pool is still above its floor when it fires.
// expect: memory/pool-idle-expiry 18-24 elim 7 "its handle kept on the object"
export class ThreadPool {
  constructor(options) {
    this.options = options;
    this.workers = new Set();
  }

  post(worker, task) {
    clearTimeout(worker.idleTimeout);
    worker.tasks.add(task);
    worker.run(task);
  }

  onDone(worker, task) {
    worker.tasks.delete(task);
    if (worker.tasks.size === 0 && this.workers.size > this.options.minThreads) {
      worker.idleTimeout = setTimeout(() => {
        if (this.workers.size > this.options.minThreads) {
          this._removeWorker(worker);
        }
      }, this.options.idleTimeout).unref();
    }
  }

  _removeWorker(worker) {
    this.workers.delete(worker);
    worker.terminate();
  }
}
