// A refresh in progress is handed to every caller until it settles.
// expect: response/dedup 6-12 elim 5 "emptied when it settles"
export class Topology {
  #refreshing: Promise<void> | undefined;

  refresh(discover: () => Promise<void>): Promise<void> {
    if (this.#refreshing) return this.#refreshing;
    this.#refreshing = discover().finally(() => {
      this.#refreshing = undefined;
    });
    return this.#refreshing;
  }
}
