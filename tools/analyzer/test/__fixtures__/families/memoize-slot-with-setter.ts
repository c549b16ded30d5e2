// Near miss of no-memoize-injected-default: the setter overwrites the slot freely (a caller that
// already knows the value hands it in); the getter works the value out on first use — a memo.
// expect: caching/memoize 11-16 elim 3 "computed on first use and handed out afterwards"
declare function findRelation(owner: object, collection: object): string;

export class Collection {
  #property: string | undefined;

  constructor(private readonly owner: object) {}

  get property(): string {
    if (!this.#property) {
      this.#property = findRelation(this.owner, this);
    }
    return this.#property;
  }

  set property(value: string) {
    this.#property = value;
  }
}
