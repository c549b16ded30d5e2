// A job's processing time: the clock minus a stamp this file never sets (it comes back from the
// queue's store), kept as a duration and recorded into a histogram.
// expect: monitoring/timer-delta 11-12 elim 1 "goes to `this.histogram.record`"
export class Job {
  processedOn?: number;
  constructor(private readonly histogram: { record(value: number, attrs: object): void }) {}

  recordFinished(attrs: object): void {
    if (this.processedOn === undefined) return;
    const name = "job_duration";
    const duration = Date.now() - this.processedOn;
    this.histogram.record(duration, { ...attrs, name });
  }
}
