// The mark is also read to tell whether the job runs: the field is more than a timer.
export class Job {
  private startedAt = 0;

  start(): void {
    this.startedAt = Date.now();
  }

  get running(): boolean {
    return this.startedAt > 0;
  }

  finish(): void {
    console.log(`job took ${Date.now() - this.startedAt} ms`);
  }
}
