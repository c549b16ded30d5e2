// A slot filled with an index the getter builds in a Map of its own: the Map is the compute's
// local, not a store kept between calls.
interface Entry {
  readonly name: string;
  readonly line: number;
}

export class Table {
  #byName: Map<string, Entry[]> | undefined;

  constructor(private readonly entries: readonly Entry[]) {}

  byName(): Map<string, Entry[]> {
    if (this.#byName !== undefined) {
      return this.#byName;
    }
    const index = new Map<string, Entry[]>();
    for (const entry of this.entries) {
      const list = index.get(entry.name);
      if (list) list.push(entry);
      else index.set(entry.name, [entry]);
    }
    this.#byName = index;
    return index;
  }
}
