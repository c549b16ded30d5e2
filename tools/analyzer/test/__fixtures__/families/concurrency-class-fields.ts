// A promise queue: a class that exists for the limit — its fields are the limiter's state (the
// count, the bound, the queue, the results) and every method works them. Many fields do not make
// it a larger class: its code members are few, so the class is the construct.
// expect: response/concurrency-limit 5-49 elim 41 "counts running tasks"
export class TaskQueue<T> {
  private running = 0;
  private readonly queue: (() => Promise<void>)[] = [];
  private readonly results: T[] = [];
  private added = 0;
  private finished = 0;
  private failed = 0;
  private lastError: unknown;
  private idleWaiters: (() => void)[] = [];
  private draining = false;
  private readonly max: number;
  private readonly label: string;
  private paused = false;
  private readonly started = Date.now();
  private readonly tags = new Set<string>();
  private readonly names: string[] = [];

  constructor(max: number, label = "queue") {
    this.max = max;
    this.label = label;
  }

  add(task: () => Promise<T>): void {
    const index = this.added++;
    this.queue.push(async () => {
      this.results[index] = await task();
    });
    this.next();
  }

  private next(): void {
    if (this.running >= this.max) return;
    const run = this.queue.shift();
    if (run === undefined) return;
    this.running++;
    void run().finally(() => {
      this.running--;
      this.next();
    });
  }

  size(): number {
    return this.queue.length + this.running;
  }
}
