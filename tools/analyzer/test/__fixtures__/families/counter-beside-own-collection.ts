// Near miss of no-counter-own-collection-size: a tally of traces encoded, counted as each is pushed
// into the buffer but zeroed only by the statistics' own reset (the buffer is emptied apart): a
// count of work, handed out for a report.
// expect: monitoring/counter 7-15 elim 2 "only incremented"
export class PayloadEncoder {
  private traces: string[][] = [];
  private encoded = 0;

  stats(): { encoded: number } {
    return { encoded: this.encoded };
  }

  encode(trace: string[]): void {
    this.traces.push(trace);
    this.encoded++;
  }

  flush(): string[][] {
    const out = this.traces;
    this.traces = [];
    return out;
  }

  resetStats(): void {
    this.encoded = 0;
  }
}
