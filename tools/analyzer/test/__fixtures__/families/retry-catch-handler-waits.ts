// A fetch loop whose `catch` hands the error to a method that sleeps before the next round: the
// wait is computed in one place and used by the loop in another.
// expect: response/retry-poll 12-28 elim 14 "the wait is in `onFailure`"
const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export class Poller {
  running = true;
  constructor(private readonly fetchBatch: () => Promise<string[]>) {}

  async next(): Promise<string[] | undefined> {
    let batch: string[] | undefined;
    do {
      try {
        batch = await this.fetchBatch();
      } catch (error) {
        await this.onFailure(error);
      }
    } while (batch === undefined && this.running);
    return batch;
  }

  private async onFailure(error: unknown): Promise<void> {
    if (!this.running) return;
    let seconds = 3;
    if (error instanceof RangeError) seconds = 10;
    console.warn(`fetch failed, again in ${seconds} s`);
    await pause(seconds * 1000);
  }
}
