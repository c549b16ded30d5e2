// A migration run under a watchdog timer and retried from its `catch` with a linearly growing
// wait: two mechanisms in one method, each with its own range (the timer's, the retry's branch).
// expect: response/timeout 15-22 elim 6 "reports a timeout"
// expect: response/retry-backoff 23-29 elim 7 "counts attempts"
export class Migrations {
  private retries = 0;
  constructor(
    private readonly maxRetries: number,
    private readonly migrate: () => Promise<void>,
  ) {}

  async execute(): Promise<void> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      timer = setTimeout(() => {
        console.error("migrations timed out");
        process.exit(1);
      }, 20_000);
      await this.migrate();
      clearTimeout(timer);
    } catch (error) {
      clearTimeout(timer);
      if (this.retries < this.maxRetries) {
        this.retries++;
        await this.wait(1000 * this.retries);
        await this.execute();
      } else {
        console.error("migrations failed", error);
      }
    }
  }

  private wait(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, ms));
  }
}
