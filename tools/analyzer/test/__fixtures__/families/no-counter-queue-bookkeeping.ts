// Queue bookkeeping: jobs queued and jobs finished, counted in step, and compared with each other
// to decide when the batch is done. The summary handed to the completion callback is the batch's
// result; the two counts gate the work, they are not tallies kept for a report.
// expect: none
export class Batch {
  private queued = 0;
  private finished = 0;

  constructor(private readonly onDone: (summary: { queued: number; finished: number }) => void) {}

  add(run: () => Promise<void>): void {
    this.queued++;
    void run().then(() => {
      this.finished++;
      if (this.finished === this.queued)
        this.onDone({ queued: this.queued, finished: this.finished });
    });
  }
}
