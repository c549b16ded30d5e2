// Near miss of promise-cache-kept-until-reset: the method that only resets fields is called by the
// run itself once it ends, so the slot is let go when the work completes — in-flight sharing.
// expect: response/dedup 12-21 elim 8 "emptied when it settles"
export class Batch {
  private running: Promise<number> | null = null;
  private done = 0;

  private async work(): Promise<number> {
    return Promise.resolve(this.done);
  }

  run(): Promise<number> {
    if (this.running != null) {
      return this.running;
    }
    this.running = this.work().then((n) => {
      this.resetState();
      return n;
    });
    return this.running;
  }

  resetState(): void {
    this.running = null;
    this.done = 0;
  }
}
