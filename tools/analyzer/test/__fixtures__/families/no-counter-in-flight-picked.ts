// Work in flight counted up and down per worker and handed out by an accessor — which the same
// file reads back to pick the least busy worker, and a getter compared before creating more: a
// count the program decides on, not a metric.
// expect: none
export class Worker {
  private active = 0;

  send(kind: "create" | "dispose"): void {
    if (kind === "create") {
      this.active++;
    } else {
      this.active--;
    }
  }

  getActive(): number {
    return this.active;
  }
}

export function pick(workers: Worker[]): Worker | undefined {
  return workers.reduce<Worker | undefined>(
    (best, w) => (best === undefined || w.getActive() < best.getActive() ? w : best),
    undefined,
  );
}

export class Pool {
  private waiters = 0;
  private pending = 0;

  get totalWaiters(): number {
    return this.waiters;
  }

  async acquire(wait: () => Promise<void>, create: () => void): Promise<void> {
    if (this.pending <= this.totalWaiters) create();
    try {
      this.waiters++;
      await wait();
    } finally {
      this.waiters--;
    }
  }
}
