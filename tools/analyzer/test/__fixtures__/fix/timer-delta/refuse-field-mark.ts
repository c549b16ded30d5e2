// The start mark lives in a field: other methods may read it.
export class Job {
  private startedAt = 0;

  start(): void {
    this.startedAt = Date.now();
  }

  finish(): void {
    console.log(`job took ${Date.now() - this.startedAt} ms`);
  }
}
