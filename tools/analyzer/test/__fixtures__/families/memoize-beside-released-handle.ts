// A client made on first use and destroyed on close: the slot holds a live handle that is released
// (told to finish, then dropped), not a kept value invalidated. The sorted view beside it is a memo
// emptied when the rows change.
// expect: caching/memoize 30-34 elim 3 "emptied elsewhere"
// expect: caching/cache-invalidate 38-38 elim 1 "a store this code fills on a miss"
interface Client {
  query(sql: string): Promise<unknown[]>;
  destroy(): Promise<void>;
}

export class Connection {
  #client: Client | undefined;
  #sorted: string[] | undefined;
  #rows: string[] = [];

  constructor(private readonly connect: (url: string) => Client, private readonly url: string) {}

  getClient(): Client {
    if (!this.#client) {
      this.#client = this.connect(this.url);
    }
    return this.#client;
  }

  async close(): Promise<void> {
    await this.#client?.destroy();
    this.#client = undefined;
  }

  sorted(): string[] {
    if (this.#sorted) return this.#sorted;
    this.#sorted = [...this.#rows].sort((a, b) => a.localeCompare(b));
    return this.#sorted;
  }

  append(row: string): void {
    this.#rows.push(row);
    this.#sorted = undefined;
  }
}
