// The fill inside the `if` is followed by a statement that registers the value (mikro-orm's key).
const references = new Map<symbol, Fragment>();

export class Fragment {
  #key?: symbol;

  constructor(readonly sql: string) {}

  get key(): symbol {
    if (!this.#key) {
      this.#key = Symbol(this.sql);
      references.set(this.#key, this);
    }

    return this.#key;
  }
}
