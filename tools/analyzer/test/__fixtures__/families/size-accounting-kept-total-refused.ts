// Near miss of no-size-input-limit-refused: the limit's branch refuses too, but the total starts
// from the size the object keeps (`this.length`) and the new total is kept with the new state — a
// bound on what is stored.
// expect: memory/size-accounting 15-18 elim 4 "running size"
const MAX_STATE_LENGTH = 512;

export class HeaderState {
  constructor(
    private readonly entries: ReadonlyMap<string, string>,
    private readonly length: number,
  ) {}

  set(key: string, value: string): HeaderState {
    let nextLength = this.length;
    nextLength += key.length + value.length + 1;
    if (nextLength > MAX_STATE_LENGTH) {
      return this;
    }
    return new HeaderState(new Map([...this.entries, [key, value]]), nextLength);
  }
}
