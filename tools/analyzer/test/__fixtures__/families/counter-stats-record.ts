// A queue that keeps statistics of its work: the zeroed fields declared together are the tally
// record, counted in the drain loop far below. The snapshot works a ratio out of them for the report
// and the warning tests one against 0 only: neither decides what the queue does.
// expect: monitoring/metric-object 9-11 elim 3 "declared together as zeroed fields"
// expect: monitoring/counter 46-53 elim 3 "read into a result object or returned"
// expect: monitoring/counter 64-69 elim 6 "reported away from where they are counted"
export class JobQueue {
  readonly #jobs: (() => Promise<void>)[] = [];
  #ran = 0;
  #failed = 0;
  #skipped = 0;
  #running = false;

  /** @param stale - whether a job is no longer worth running */
  constructor(private readonly stale: (job: () => Promise<void>) => boolean) {}

  /** Queues a job; the next drain runs it. */
  push(job: () => Promise<void>): void {
    this.#jobs.push(job);
  }

  /** @returns whether a drain is running */
  get busy(): boolean {
    return this.#running;
  }

  /**
   * Drops the oldest jobs over a bound.
   * @returns how many were dropped
   */
  prune(max: number): number {
    const over = this.#jobs.length - max;
    if (over <= 0) return 0;
    const dropped = this.#jobs.splice(0, over);
    dropped.length = 0;
    return over;
  }

  /** Runs every queued job in order. */
  async drain(): Promise<void> {
    if (this.#running) return;
    this.#running = true;
    try {
      for (let job = this.#jobs.shift(); job !== undefined; job = this.#jobs.shift()) {
        if (this.stale(job)) {
          this.#skipped++;
          continue;
        }
        try {
          await job();
          this.#ran++;
        } catch {
          this.#failed++;
        }
      }
    } finally {
      this.#running = false;
    }
    if (this.#failed > 0) console.warn(`${String(this.#failed)} jobs failed`);
  }

  /** @returns what the queue did */
  stats(): { ran: number; failed: number; skipped: number; failureRate: number } {
    return {
      ran: this.#ran,
      failed: this.#failed,
      skipped: this.#skipped,
      failureRate: this.#ran === 0 ? 0 : this.#failed / (this.#ran + this.#failed),
    };
  }
}
