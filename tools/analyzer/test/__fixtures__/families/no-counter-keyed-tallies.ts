// Keyed counts that are no metric: a frequency map local to one call (an algorithm's data), a
// reference count taken down again (directly, or through a local and written back), a per-key
// failure count compared with a limit, a tree of sums walked up by a moving index, and a deadline
// extended when it is set.
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

const registered = new Map<object, number>();

export function register(client: object): void {
  registered.set(client, (registered.get(client) ?? 0) + 1);
}

export function unregister(client: object): void {
  const count = registered.get(client);
  if (count === undefined) return;
  if (count <= 1) registered.delete(client);
  else registered.set(client, count - 1);
}

export function clients(): object[] {
  return [...registered.keys()];
}

export class SumTree {
  private values: number[] = [];
  constructor(private readonly capacity: number) {}

  update(index: number, difference: number): void {
    let node = this.capacity + index;
    while (node >= 1) {
      this.values[node] = (this.values[node] ?? 0) + difference;
      node = Math.floor(node / 2);
    }
  }

  snapshot(): number[] {
    return [...this.values];
  }
}

export function extend(context: Record<string, number | undefined>, key: string, ms: number) {
  return (): void => {
    if (context[key] !== undefined) {
      context[key] += ms;
    }
  };
}
