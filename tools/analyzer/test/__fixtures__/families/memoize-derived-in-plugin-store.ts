// Sorted plugin lists per hook name: the store's name reads like a registry, but the value is
// worked out by a call from the key and the store is never walked — a memo.
// expect: caching/memoize 20-27 elim 5 "writes `this.hookPlugins.set(hook, sorted)` on a miss"
interface Plugin {
  readonly name: string;
  readonly order: Partial<Record<string, number>>;
}

function sortFor(hook: string, all: readonly Plugin[]): Plugin[] {
  return all
    .filter((p) => p.order[hook] !== undefined)
    .sort((a, b) => (a.order[hook] ?? 0) - (b.order[hook] ?? 0));
}

export class Driver {
  private readonly hookPlugins = new Map<string, Plugin[]>();

  constructor(private readonly all: readonly Plugin[]) {}

  pluginsFor(hook: string): Plugin[] {
    let sorted = this.hookPlugins.get(hook);
    if (sorted === undefined) {
      sorted = sortFor(hook, this.all);
      this.hookPlugins.set(hook, sorted);
    }
    return sorted;
  }
}
