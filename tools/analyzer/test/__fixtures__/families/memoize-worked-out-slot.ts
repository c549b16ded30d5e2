// Single-value memos whose value is worked out on the miss: into a local declared without a value
// and given one on some branch (a list from options or from a fetch), after a shortcut that
// copies what is at hand, and a module variable kept as a call's result in a function that exists
// for it.
// expect: caching/memoize 23-33 elim 4 "computed on first use and handed out afterwards"
// expect: caching/memoize 38-45 elim 4 "computed on first use and handed out afterwards"
// expect: caching/memoize 50-61 elim 4 "kept by the module"
interface Options {
  ids?: number[];
}

export class Shards {
  private ids: number[] | undefined;
  #count: number | undefined;
  private readonly items: string[] = [];

  constructor(
    private readonly options: Options,
    private readonly fetchCount: () => Promise<number>,
  ) {}

  async shardIds(force = false): Promise<number[]> {
    if (this.ids && !force) {
      return this.ids;
    }
    let ids: number[];
    if (this.options.ids) {
      ids = this.options.ids;
    } else {
      const total = await this.fetchCount();
      ids = Array.from({ length: total }, (_, i) => i);
    }
    this.ids = ids;
    return ids;
  }

  async count(refresh = false, cheap = false): Promise<number> {
    if (!refresh && this.#count !== undefined) {
      return this.#count;
    }
    if (cheap) {
      return (this.#count = this.items.length);
    }
    const n = await this.fetchCount();
    this.#count = n;
    return n;
  }
}

let origin: number | null = null;

function readOrigin(): number {
  return performance.timeOrigin + performance.now() / 1e6;
}

export function timeOrigin(): number {
  if (origin === null) {
    origin = readOrigin();
  }
  return origin;
}
