// A field handed back unless a `force` flag asks again; the value is a call's result spread into a list.
// expect: caching/memoize 16-26 elim 4 "`this.slots` returned when set, computed and stored otherwise"
interface Layout {
  count: number;
}

export class Planner {
  private slots: number[] | undefined;

  constructor(
    private readonly fixed: number[] | undefined,
    private readonly ask: () => Promise<Layout>,
  ) {}

  async slotIds(force = false): Promise<number[]> {
    if (this.slots && !force) {
      return this.slots;
    }
    let ids: number[];
    if (this.fixed) {
      ids = this.fixed;
    } else {
      const layout = await this.ask();
      ids = [...spread(layout.count)];
    }
    this.slots = ids;
    return ids;
  }
}

function* spread(count: number): Generator<number> {
  for (let i = 0; i < count; i++) yield i;
}
