// A compiled form kept in a private slot; a copy empties the slot on the other instance.
// expect: caching/memoize 9-15 elim 5 "the slot is emptied elsewhere"
// expect: caching/cache-invalidate 20-20 elim 1 "a store this code fills on a miss"
// expect: caching/cache-invalidate 26-26 elim 1 "a store this code fills on a miss"
export class Shape {
  #parts: string[] = [];
  #compiled: string | undefined;

  compiled(): string {
    if (this.#compiled !== undefined) {
      return this.#compiled;
    }
    this.#compiled = this.#parts.join(" ");
    return this.#compiled;
  }

  copy(): Shape {
    const other = new Shape();
    other.#parts = [...this.#parts];
    other.#compiled = undefined;
    return other;
  }

  add(part: string): void {
    this.#parts.push(part);
    this.#compiled = undefined;
  }
}
