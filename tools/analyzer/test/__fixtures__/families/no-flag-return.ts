// A flag parameter that returns a field as it is, the field then set to a constant: not a cache.
// expect: none
export class Mode {
  #state = "quiet";

  toggle(keep: boolean): string {
    if (keep) return this.#state;
    this.#state = this.#state === "quiet" ? "loud" : "quiet";
    return this.#state;
  }
}
