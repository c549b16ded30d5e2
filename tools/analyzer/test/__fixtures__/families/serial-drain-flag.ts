// Serial queues drained behind a running flag: the first caller raises the flag and drains the
// queue, awaiting each job; later callers only add to the queue. And a queue whose next item is
// taken when the running one settles, the flag lowered in its `finally`.
// expect: response/concurrency-limit 12-21 elim 10 "drains the queue an item at a time"
// expect: response/concurrency-limit 31-52 elim 19 "others wait in"
type Job = () => Promise<void>;

export class SerialRunner {
  private readonly jobs: Job[] = [];
  private running = false;

  private async drain(): Promise<void> {
    if (this.running) return;
    this.running = true;
    while (this.jobs.length > 0) {
      const job = this.jobs[0];
      await job?.();
      this.jobs.shift();
    }
    this.running = false;
  }

  run(job: Job): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.jobs.push(() => job().then(resolve, reject));
      void this.drain();
    });
  }
}

export class MessagePump {
  private readonly state = { queue: [] as string[], busy: false };

  constructor(private readonly handle: (message: string) => Promise<void>) {}

  receive(message: string): void {
    this.state.queue.push(message);
    if (!this.state.busy) this.next();
  }

  private next(): void {
    if (this.state.queue.length === 0) return;
    this.state.busy = true;
    const message = this.state.queue.shift() as string;
    this.handle(message)
      .catch(() => undefined)
      .finally(() => {
        this.state.busy = false;
        this.next();
      });
  }
}
