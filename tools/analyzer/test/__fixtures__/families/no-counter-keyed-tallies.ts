// Keyed counts that are no metric: a frequency map local to one call (an algorithm's data), a
// reference count taken down again, and a per-key failure count compared with a limit.
// expect: none
export function letterCounts(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const ch of text) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  return counts;
}

export class References {
  private refs = new Map<string, number>();

  acquire(key: string): void {
    this.refs.set(key, (this.refs.get(key) ?? 0) + 1);
  }

  release(key: string): void {
    this.refs.set(key, (this.refs.get(key) ?? 0) - 1);
  }

  all(): Map<string, number> {
    return this.refs;
  }
}

export class Attempts {
  private tries: Record<string, number> = {};

  fail(key: string): boolean {
    this.tries[key] = (this.tries[key] || 0) + 1;
    return this.tries[key] > 3;
  }
}
