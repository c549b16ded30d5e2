// An entry made with callbacks beside its stamp: the write half is the stamp's own line.
// expect: caching/ttl-cache 21-21 elim 1 "stamp `madeAt` written from the clock with the entry it dates"
// expect: caching/ttl-cache 31-35 elim 5 "stamp `madeAt` written from the clock"
interface Child {
  madeAt: number;
  onReady: () => void;
  weight: number;
}

export class Weights {
  private children = new Map<string, Child>();
  added = 0;

  constructor(private readonly maxAge: number) {}

  add(name: string, ready: (n: string) => void): void {
    const entry: Child = {
      onReady: () => {
        ready(name);
      },
      madeAt: Date.now(),
      weight: 0,
    };
    this.children.set(name, entry);
    this.added++;
  }

  weightOf(name: string): number {
    const entry = this.children.get(name);
    if (entry === undefined) return 0;
    const old = Date.now() - entry.madeAt > this.maxAge;
    if (old) {
      this.children.delete(name);
      return 0;
    }
    return entry.weight;
  }
}
