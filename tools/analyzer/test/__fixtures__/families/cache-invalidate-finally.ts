// Hooks looked up per level during one print and dropped when the print ends: the `clear()` in
// `finally` is the invalidation, not the print method around it.
// expect: caching/memoize 13-19 elim 4 "computed on a miss"
// expect: caching/cache-invalidate 29-29 elim 1 "a store this code fills on a miss"
type Hook = (text: string) => string;

export class Printer {
  private printing = false;
  private readonly hooksByLevel = new Map<string, Hook[]>();

  constructor(private readonly hooks: ReadonlyMap<string, Hook>) {}

  private hooksFor(level: string): Hook[] {
    const known = this.hooksByLevel.get(level);
    if (known !== undefined) return known;
    const found = [...this.hooks].filter(([name]) => level.startsWith(name)).map(([, h]) => h);
    this.hooksByLevel.set(level, found);
    return found;
  }

  print(level: string, text: string): string {
    if (this.printing) {
      return this.hooksFor(level).reduce((t, h) => h(t), text);
    }
    try {
      this.printing = true;
      return this.hooksFor(level).reduce((t, h) => h(t), text);
    } finally {
      this.hooksByLevel.clear();
      this.printing = false;
    }
  }
}
