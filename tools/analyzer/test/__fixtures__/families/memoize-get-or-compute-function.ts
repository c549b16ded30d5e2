// A memo in a function that exists for it (it ends by returning the kept value) takes the function's
// range, its closing return counted as the memo's own line; a memo inside a longer function that
// returns something else keeps its own lines.
// expect: caching/memoize 14-19 elim 3 "`this.columnType` returned when set"
// expect: caching/memoize 23-30 elim 4 "writes `parsers.set(key, parser)` on a miss"
// expect: caching/memoize 32-41 elim 5 "writes `widths.set(text, width)` on a miss"
declare function compile(fields: string[]): (row: unknown[]) => object;
declare function measure(text: string): number;

const parsers = new Map<string, (row: unknown[]) => object>();

export class Column {
  private columnType: string | undefined;
  get type(): string {
    if (this.columnType === undefined) {
      this.columnType = ["varchar", String(this.length)].join(":");
    }
    return this.columnType;
  }
  constructor(readonly length: number) {}
}

export function parserFor(fields: string[]): (row: unknown[]) => object {
  const key = fields.join(",");
  let parser = parsers.get(key);
  if (parser) return parser;
  parser = compile(fields);
  parsers.set(key, parser);
  return parser;
}

const widths = new Map<string, number>();

export function layout(lines: string[]): number[] {
  const out: number[] = [];
  for (const text of lines) {
    let width = widths.get(text);
    if (width === undefined) {
      width = measure(text);
      widths.set(text, width);
    }
    out.push(width);
  }
  return out;
}
