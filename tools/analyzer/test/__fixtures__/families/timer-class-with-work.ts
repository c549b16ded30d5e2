// Near miss of timer-class-only.ts: the class also does the work it times, so the class stays;
// fix keeps the #private mark's field as the monitor's timer, each line in place (0 removed).
// expect: monitoring/timer-delta 9-15 elim 2 "start mark"
export class Task {
  #startedAt = 0;
  readonly results: string[] = [];

  run(input: string): void {
    this.#startedAt = Date.now();
    this.results.push(input.trim());
  }

  finish(report: (ms: number) => void): void {
    this.results.sort();
    report(Date.now() - this.#startedAt);
  }
}
