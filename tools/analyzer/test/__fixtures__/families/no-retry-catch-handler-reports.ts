// A loop whose `catch` hands the error to a method that only records it, and one that leaves the
// loop after a handler that waits for the queue to drain: neither tries again after a wait.
// expect: none
export class Consumer {
  errors: unknown[] = [];
  constructor(
    private readonly take: () => Promise<string | undefined>,
    private readonly drained: () => Promise<void>,
  ) {}

  async run(handle: (item: string) => Promise<void>): Promise<void> {
    for (;;) {
      const item = await this.take();
      if (item === undefined) break;
      try {
        await handle(item);
      } catch (error) {
        this.record(error);
      }
    }
  }

  async stop(handle: (item: string) => Promise<void>): Promise<void> {
    for (;;) {
      const item = await this.take();
      if (item === undefined) return;
      try {
        await handle(item);
      } catch {
        await this.settle();
        return;
      }
    }
  }

  private record(error: unknown): void {
    this.errors.push(error);
  }

  private async settle(): Promise<void> {
    await this.drained();
  }
}
