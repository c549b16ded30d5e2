// The time between two named marks: readings kept by name in a member map and subtracted where
// both are looked up again; start and end stamped on stored entries and summed where the entries
// are taken apart; an entry stamped in a map by name, taken apart where it is looked up again.
// expect: monitoring/timer-delta 8-19 elim 4 "elapsed time `b - a`"
// expect: monitoring/timer-delta 40-43 elim 1 "elapsed time `closed - opened`"
// expect: monitoring/timer-delta 51-58 elim 3 "elapsed time `performance.now() - began`"
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

const pending = new Map<string, { label: string; began: number }>();

export function begin(name: string, label: string): void {
  pending.set(name, { label, began: performance.now() });
}

export function finish(name: string, report: (label: string, ms: number) => void): void {
  const entry = pending.get(name);
  if (entry === undefined) return;
  const { label, began } = entry;
  report(label, performance.now() - began);
  pending.delete(name);
}
