// Labelled timers kept in a map: their start marks are not a seen-cache.
// expect: monitoring/timer-delta 10-16 elim 3 "start mark `this.#timers[label] = new Date();`"
export class LabelTimers {
  readonly #timers: Record<string, Date> = {};

  constructor(private readonly log: (line: string) => void) {}

  time(label: string): void {
    if (this.#timers[label] != null) return;
    this.#timers[label] = new Date();
  }

  timeEnd(label: string): void {
    const start = this.#timers[label];
    if (start == null) return;
    this.log(`${label}: ${new Date().getTime() - start.getTime()} ms`);
    delete this.#timers[label];
  }
}
