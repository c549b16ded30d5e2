// A record built on a miss with `rec[k] ??= v` over raw pairs, kept once nothing is pending.
// expect: caching/memoize 13-23 elim 4 "`this.merged` returned when set, computed and stored otherwise"
type Pairs = [string, string | undefined][];

export class Labels {
  private merged?: Record<string, string>;
  private pending = false;

  constructor(private readonly raw: Pairs) {}

  get all(): Record<string, string> {
    if (this.pending) throw new Error("Labels are still loading; await ready() first.");
    if (this.merged) {
      return this.merged;
    }
    const out: Record<string, string> = {};
    for (const [k, v] of this.raw) {
      if (v !== undefined) {
        out[k] ??= v;
      }
    }
    if (!this.pending) {
      this.merged = out;
    }
    return out;
  }
}
