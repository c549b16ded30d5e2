// Differences that time nothing: two sizes looked up in a map the file fills with lengths, two
// destructured properties that are offsets, and stamped entries ordered in a comparator.
// expect: none
export class Sizes {
  private readonly sizes = new Map<string, number>();

  add(name: string, body: string): void {
    this.sizes.set(name, body.length);
  }

  growth(from: string, to: string): number {
    const a = this.sizes.get(from) ?? 0;
    const b = this.sizes.get(to) ?? 0;
    return b - a;
  }
}

export function spanLengths(ranges: readonly { offset: number; end: number }[]): number[] {
  return ranges.map(({ offset, end }) => end - offset);
}

interface Stamped {
  opened: number;
  id: string;
}

export class Queue {
  private readonly items: Stamped[] = [];

  push(id: string): void {
    this.items.push({ opened: Date.now(), id });
  }

  oldestFirst(): Stamped[] {
    return [...this.items].sort(({ opened: x }, { opened: y }) => x - y);
  }
}
