// Counts per label, bumped where they are printed: a counter, though its new value is used.
// expect: monitoring/counter 11-11 elim 1 "only incremented"
export class LabelCounter {
  private readonly counters: Record<string, number> = {};

  constructor(private readonly write: (line: string) => void) {}

  count(label = "default"): void {
    const counters = this.counters;
    if (counters[label] === undefined) counters[label] = 0;
    this.write(`${label}: ${++this.counters[label]}`);
  }
}
