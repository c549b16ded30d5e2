// A field memo read by two methods: the store is shared state of the instance, not one memo.
export class Registry {
  readonly #kinds = new Map<string, string>();

  kind(name: string): string {
    const hit = this.#kinds.get(name);
    if (hit !== undefined) return hit;
    const kind = name.split(":")[0] ?? name;
    this.#kinds.set(name, kind);
    return kind;
  }

  known(name: string): boolean {
    return this.#kinds.has(name);
  }
}
