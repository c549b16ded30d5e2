// The time between two named marks: readings kept by name in a member map and subtracted where
// both are looked up again; start and end stamped on stored entries and summed where the entries
// are taken apart.
// expect: monitoring/timer-delta 11-18 elim 3 "elapsed time `b - a`"
// expect: monitoring/timer-delta 39-42 elim 1 "elapsed time `closed - opened`"
export class Marks {
  private readonly readings = new Map<string, number>();
  private readonly spans = new Map<string, number>();

  mark(name: string): void {
    this.readings.set(name, performance.now());
  }

  measure(name: string, from: string, to: string): void {
    const a = this.readings.get(from);
    const b = this.readings.get(to);
    if (a === undefined || b === undefined) throw new Error(`${from} or ${to} was never marked`);
    this.spans.set(name, b - a);
  }
}

interface Entry {
  opened: number;
  closed?: number;
}

export class Phases {
  private readonly entries: Entry[] = [];

  open(): () => void {
    const entry: Entry = { opened: Date.now() };
    this.entries.push(entry);
    return () => {
      entry.closed = Date.now();
    };
  }

  header(): string {
    const total = this.entries.reduce(
      (sum, { opened, closed }) => (closed === undefined ? sum : sum + (closed - opened)),
      0,
    );
    return `total;dur=${String(total)}`;
  }
}
