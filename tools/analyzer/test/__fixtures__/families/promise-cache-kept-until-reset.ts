// A looked-up value's promise handed to every caller and kept after it succeeds: emptied by the
// constructor and by a method that only resets fields, never when the lookup settles — later
// callers get the settled result, a promise cache, not in-flight sharing.
// expect: caching/promise-cache 17-19 elim 3 "kept once it succeeds"
// expect: caching/cache-invalidate 29-29 elim 1 "a caching finding of this file fills it"
export class Counter {
  private first: Promise<number> | null;
  private offset: number;

  constructor(private readonly source: { read(): Promise<number> }) {
    this.first = null;
    this.offset = 0;
  }

  async next(): Promise<number> {
    const offset = this.offset++;
    if (this.first == null) {
      this.first = this.load();
    }
    return (await this.first) + offset;
  }

  private async load(): Promise<number> {
    return this.source.read();
  }

  reset(): void {
    this.offset = 0;
    this.first = null;
  }
}
