// Parsers reused from a free list; a new one is made when the list is empty.
// expect: memory/object-pool 3-16 elim 12 "free list"
export class ParserPool {
  readonly #free: Parser[] = [];

  acquire(): Parser {
    const parser = this.#free.pop();
    if (parser !== undefined) return parser;
    return new Parser();
  }

  release(parser: Parser): void {
    parser.reset();
    this.#free.push(parser);
  }
}

class Parser {
  reset(): void {}
}
