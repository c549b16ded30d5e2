// Near miss of no-memoize-injected-default: the setter changes the input and empties the slot; the
// getter works the value out of the input again — a derived value kept until its input changes.
// expect: caching/memoize 12-17 elim 3 "the slot is emptied elsewhere"
// expect: caching/cache-invalidate 21-21 elim 1 "a store this code fills on a miss"
declare function globToRegExp(globs: string[]): RegExp;

export class Matcher {
  #pattern: RegExp | undefined;

  constructor(private source: string) {}

  getPattern(): RegExp {
    if (!this.#pattern) {
      this.#pattern = globToRegExp(this.source.split(",").map((part) => part.trim()));
    }
    return this.#pattern;
  }

  setSource(source: string): void {
    this.source = source;
    this.#pattern = undefined;
  }
}
