// Fields filled on first use with computed values, through a local, a choice, or under a guard.
// expect: caching/memoize 22-28 elim 3 "single-value memo"
// expect: caching/memoize 30-35 elim 3 "single-value memo"
// expect: caching/memoize 38-42 elim 4 "single-value memo"
import { readFileSync } from "node:fs";

function wrap(name: string, schema: string): string {
  return `"${schema}"."${name}"`;
}

export class Compiler {
  #table: string | undefined;
  #type: string | undefined;
  #id: string | null | undefined = undefined;

  constructor(
    private readonly name: string,
    private readonly schema: string,
    private readonly path: string,
  ) {}

  get table(): string {
    if (!this.#table) {
      const schema = this.schema.trim();
      this.#table = schema ? wrap(this.name, schema) : "";
    }
    return this.#table;
  }

  typeOf(ready: boolean): string | undefined {
    if (ready && !this.#type) {
      this.#type = this.name.toUpperCase();
    }
    return this.#type;
  }

  id(): string | null {
    if (this.#id !== undefined) {
      return this.#id;
    }
    const content = readFileSync(this.path, "utf8").trim();
    this.#id = content;
    return content;
  }
}
