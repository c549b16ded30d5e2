// Compiled patterns kept per source string; the compile call stays after a migration.
// expect: caching/memoize 8-15 elim 5 "computed on a miss"
export class PatternBook {
  readonly #compiled = new Map<string, RegExp>();

  constructor(private readonly flags: string) {}

  matcher(source: string): RegExp {
    let compiled = this.#compiled.get(source);
    if (compiled === undefined) {
      compiled = new RegExp(source.replace(/\*/g, ".*"), this.flags);
      this.#compiled.set(source, compiled);
    }
    return compiled;
  }
}
