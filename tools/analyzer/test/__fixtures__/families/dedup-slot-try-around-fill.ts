// A reconfiguration in flight is joined by later resets; the `try` around the fill empties the slot
// in its `finally`: the check, the `try` and its release are the construct.
// expect: response/dedup 10-20 elim 11 "emptied when it settles"
export class Sentinel {
  #connecting: Promise<void> | undefined;
  #again = false;

  async reset(connect: () => Promise<void>, trace: (m: string) => void): Promise<void> {
    trace("reset");
    if (this.#connecting !== undefined) {
      this.#again = true;
      return await this.#connecting;
    }
    try {
      this.#connecting = connect();
      return await this.#connecting;
    } finally {
      trace("done");
      this.#connecting = undefined;
    }
  }
}
