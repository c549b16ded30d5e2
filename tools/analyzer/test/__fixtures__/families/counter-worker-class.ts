// A class that does long work and keeps statistics: the tallies (and the zeroed fields declared
// together, their record) are the construct, not the class; the message that reads them reports.
// expect: monitoring/metric-object 8-9 elim 2 "declared together as zeroed fields"
// expect: monitoring/counter 14-14 elim 1 "reported away from where they are counted"
// expect: monitoring/counter 38-44 elim 3 "counters"
export class SnapshotOptimizer<T> {
  private readonly shared = new Map<string, Set<T>>();
  private statShared = 0;
  private statUnshared = 0;

  constructor(private readonly limit: number) {}

  statisticMessage(): string {
    return `${this.statShared} shared, ${this.statUnshared} unshared`;
  }

  clear(): void {
    this.shared.clear();
  }

  optimize(key: string, items: readonly T[]): readonly T[] {
    const known = this.shared.get(key);
    if (known === undefined) {
      this.shared.set(key, new Set(items));
      return items;
    }
    const common: T[] = [];
    const rest: T[] = [];
    for (const item of items) {
      if (known.has(item)) common.push(item);
      else rest.push(item);
    }
    if (common.length > this.limit) {
      for (const item of common) known.delete(item);
      this.shared.set(`${key}:common`, new Set(common));
    }
    if (rest.length === 0) return common;
    this.statShared += common.length;
    const unshared = rest.length;
    this.statUnshared += unshared;
    if (unshared > this.limit) {
      this.shared.set(`${key}:rest`, new Set(rest));
    }
    this.statUnshared += 1;
    return rest;
  }
}
