// The index is saved once edits stop for a second.
// expect: response/debounce 7-8 elim 2 "clears"
export class Index {
  #saveTimer: ReturnType<typeof setTimeout> | undefined;

  touched(save: () => void): void {
    clearTimeout(this.#saveTimer);
    this.#saveTimer = setTimeout(save, 1000);
  }
}
