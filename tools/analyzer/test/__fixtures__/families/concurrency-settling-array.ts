// Export promises in flight are kept in a list that each one leaves when it settles; a caller
// asks whether the limit is reached before starting another.
// expect: response/concurrency-limit 4-25 elim 18 "counts running tasks"
export class PendingExports {
  private readonly pending: Promise<unknown>[] = [];

  constructor(private readonly limit: number) {}

  add(work: Promise<void>): void {
    if (this.full()) throw new Error("Too many exports in flight; wait for flush() first.");
    this.pending.push(work);
    const leave = (): void => {
      this.pending.splice(this.pending.indexOf(work), 1);
    };
    work.then(leave, leave);
  }

  full(): boolean {
    return this.pending.length >= this.limit;
  }

  async flush(): Promise<void> {
    await Promise.all(this.pending);
  }
}
