// The near miss of no-collection-own-api.ts: a memo of parsed files dropped by key when the file
// changes — the class fills the store on a miss and hands out no pass-through read of it.
// expect: caching/memoize 8-15 elim 5 "computed on a miss"
// expect: caching/cache-invalidate 17-19 elim 3 "a store this code fills on a miss"
export class ParsedFiles {
  private readonly parsed = new Map<string, string[]>();

  lines(path: string, read: (path: string) => string): string[] {
    let lines = this.parsed.get(path);
    if (lines === undefined) {
      lines = read(path).split("\n");
      this.parsed.set(path, lines);
    }
    return lines;
  }

  onChanged(path: string): void {
    this.parsed.delete(path);
  }
}
