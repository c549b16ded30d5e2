// Workers are started while fewer than the minimum are alive, and removed when one exits: a floor
// that keeps enough workers, not a limit on running tasks.
// expect: none
interface Worker {
  on(event: "exit", listener: () => void): void;
}

export class Pool {
  private readonly workers = new Set<Worker>();

  constructor(
    private readonly options: { minThreads: number },
    private readonly spawn: () => Worker,
  ) {
    this.ensureMinimum();
  }

  private ensureMinimum(): void {
    while (this.workers.size < this.options.minThreads) this.start();
  }

  private start(): void {
    const worker = this.spawn();
    this.workers.add(worker);
    worker.on("exit", () => {
      this.workers.delete(worker);
      this.ensureMinimum();
    });
  }
}
