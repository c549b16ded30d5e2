// Lists used as stores: loaded views kept in a list and found again; warnings printed once per key.
// expect: caching/seen-cache 9-15 elim 4 "remembers keys already handled"
// expect: caching/cache-aside 24-28 elim 3 "loaded (I/O or a callback)"
// expect: caching/memoize 33-44 elim 3 "computed on a miss"
interface View {
  readonly name: string;
}

const warned: string[] = [];

export function deprecate(name: string, message: string): void {
  if (warned.indexOf(name) === -1) {
    console.warn(`DeprecationWarning: ${message}`);
    warned.push(name);
  }
}

export class Runner {
  loadedViews: View[] = [];

  constructor(private readonly load: (names: string[]) => Promise<View[]>) {}

  async view(name: string): Promise<View> {
    const view = this.loadedViews.find((v) => v.name === name);
    if (view) return view;
    const found = await this.load([name]);
    if (found.length === 0) throw new Error(`View "${name}" does not exist.`);
    this.loadedViews.push(found[0] as View);
    return found[0] as View;
  }

  nodeFor(key: string, ring: readonly { key: number; node: string }[]): string | null {
    const hit = this.byKey.get(key);
    if (hit) return hit;
    const hash = key.length * 31;
    let found;
    for (const entry of ring) {
      if (hash <= entry.key) {
        found = entry;
        break;
      }
    }
    if (found) {
      this.byKey.set(key, found.node);
      return found.node;
    }
    return null;
  }

  private readonly byKey = new Map<string, string>();
}
