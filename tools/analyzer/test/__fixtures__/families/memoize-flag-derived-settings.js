// Near miss of no-memoize-lazy-module: the same flag and slot, but the value is worked out from
// the options the object was given — a derived value computed once.
// expect: caching/memoize 11-18 elim 6 "a flag (`this.levelInitialized`) records"
export class Uploader {
  constructor(options) {
    this.options = options;
    this.levelInitialized = false;
    this.level = undefined;
  }

  getLevel() {
    if (!this.levelInitialized) {
      this.levelInitialized = true;
      const { method, level } = this.options;
      this.level = method === "gzip" ? Math.min(level ?? 6, 9) : Math.max(level ?? 0, -7);
    }
    return this.level;
  }
}
