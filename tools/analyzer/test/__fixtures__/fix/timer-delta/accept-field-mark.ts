// The start mark lives in a private field, set in one method and read in another: the field holds the timer.
export class Job {
  private startedAt = 0;

  start(): void {
    this.startedAt = Date.now();
  }

  finish(): void {
    console.log(`job took ${Date.now() - this.startedAt} ms`);
  }
}
