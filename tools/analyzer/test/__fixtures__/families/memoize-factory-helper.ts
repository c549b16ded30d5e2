// A get-or-create helper called with a map, a key and a factory: each call site is a memo. A
// WeakMap keyed by a filter object keeps what `createMatcher` compiles for it (a WeakMap cannot be
// a registry of live things: its entries cannot be listed or closed).
// expect: caching/memoize 24-24 elim 1 "hands `this.sorted`, a key and a factory to `getOrCreate`"
// expect: caching/memoize 28-28 elim 1 "hands `this.matchers`, a key and a factory to `getOrCreate`"
import { getOrCreate } from "./get-or-create.js";

interface Plugin {
  readonly name: string;
  readonly order: number;
}
interface Filter {
  readonly pattern: string;
}
declare function createMatcher(pattern: string): (id: string) => boolean;

export class PluginDriver {
  private readonly sorted = new Map<string, Plugin[]>();
  private readonly matchers = new WeakMap<Filter, (id: string) => boolean>();

  constructor(private readonly plugins: readonly Plugin[]) {}

  sortedFor(hook: string): Plugin[] {
    return getOrCreate(this.sorted, hook, () => this.plugins.filter((p) => p.name.startsWith(hook)));
  }

  matches(filter: Filter, id: string): boolean {
    const matcher = getOrCreate(this.matchers, filter, () => createMatcher(filter.pattern));
    return matcher(id);
  }
}
