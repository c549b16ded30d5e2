// A count raised and lowered around synchronous work, the await coming after it is lowered:
// nothing runs while the count is up, so it limits no concurrent work.
// expect: none
export class Batcher {
  #taking = 0;
  readonly #items: string[] = [];

  constructor(
    private readonly maxTakers: number,
    private readonly send: (batch: string[]) => Promise<void>,
  ) {}

  async flush(): Promise<void> {
    if (this.#taking >= this.maxTakers) return;
    this.#taking++;
    const batch = this.#items.splice(0);
    this.#taking--;
    await this.send(batch);
  }
}
