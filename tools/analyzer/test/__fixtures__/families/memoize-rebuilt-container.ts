// A map that holds one entry in fields until a second key comes, then switches to a Map and carries
// the entry over: the fresh Map is filled at once, nothing stale is dropped (no invalidation). Its
// get-or-compute is the memo.
// expect: caching/memoize 29-37 elim 5 "computed on a miss"
export class SlotOrMap<V> {
  private mode = 0;
  private single: string | undefined;
  private singleValue: V | undefined;
  private map = new Map<string, V>();

  update(key: string, fn: (old: V | undefined) => V): void {
    switch (this.mode) {
      case 0:
        this.mode = 1;
        this.single = key;
        this.singleValue = fn(undefined);
        break;
      case 1:
        this.mode = 2;
        this.map = new Map();
        this.map.set(this.single as string, this.singleValue as V);
        this.map.set(key, fn(undefined));
        break;
      default:
        this.map.set(key, fn(this.map.get(key)));
    }
  }

  provide(key: string, compute: () => V): V {
    if (this.mode === 1 && key === this.single) return this.singleValue as V;
    let value = this.map.get(key);
    if (value === undefined) {
      value = compute();
      this.map.set(key, value);
    }
    return value;
  }
}
