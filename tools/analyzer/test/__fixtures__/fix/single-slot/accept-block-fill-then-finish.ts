// The fill inside the `if` is followed by a statement that registers the value (shaped like
// mikro-orm's fragment key, with a key worked out from the SQL: a fresh `Symbol()` made on first
// use is an identity, not a memo, and the analyzer leaves it alone).
const references = new Map<string, Fragment>();

function normalize(sql: string): string {
  return sql.replace(/\s+/g, " ").trim();
}

export class Fragment {
  #key?: string;

  constructor(readonly sql: string) {}

  get key(): string {
    if (!this.#key) {
      this.#key = normalize(this.sql);
      references.set(this.#key, this);
    }

    return this.#key;
  }
}
