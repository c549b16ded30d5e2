// Near miss of no-counter-skips-of-a-list: a failure tally handed out by a getter and compared with
// a configured bound (an alarm on a metric), beside a list it never meets.
// expect: monitoring/counter 6-17 elim 2 "only incremented"
export class Uploader {
  private items: string[] = [];
  private failures = 0;

  constructor(private readonly maxFailures: number) {}

  getFailures(): number {
    return this.failures;
  }

  async upload(send: (item: string) => Promise<void>): Promise<void> {
    for (const item of this.items) {
      await send(item).catch(() => {
        this.failures += 1;
      });
      if (this.failures >= this.maxFailures) throw new Error("too many failures");
    }
  }
}
