// A private count only raised and never read: dead state, nothing reports it.
// expect: none
export class Parser {
  #lines = 0;
  private chunks = 0;

  feed(chunk: string): void {
    this.chunks++;
    for (const ch of chunk) if (ch === "\n") this.#lines++;
  }
}
