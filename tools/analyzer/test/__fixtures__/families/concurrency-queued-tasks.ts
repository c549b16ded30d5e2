// The near miss of no-collected-items-cap.ts: tasks handed in are pushed to a queue and shifted
// out too, but the count is of tasks started — raised as one runs, lowered when it settles.
// expect: response/concurrency-limit 4-25 elim 19 "counts running tasks"
export class Limiter {
  private running = 0;
  private readonly queue: (() => Promise<void>)[] = [];

  constructor(private readonly max: number) {}

  push(task: () => Promise<void>): void {
    this.queue.push(task);
    this.next();
  }

  private next(): void {
    if (this.running >= this.max) return;
    const task = this.queue.shift();
    if (task === undefined) return;
    this.running++;
    void task().finally(() => {
      this.running--;
      this.next();
    });
  }
}
