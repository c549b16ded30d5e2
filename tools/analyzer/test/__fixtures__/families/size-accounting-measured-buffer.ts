// Lines are batched into one string until it reaches a byte budget: the buffer itself is measured
// as it fills (no running total kept beside it) and flushed by a method that empties it.
// expect: memory/size-accounting 16-19 elim 4 "measured as it fills"
export class LineBatcher {
  #pending = "";
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly limitBytes: number,
    private readonly send: (body: string) => void,
  ) {}

  add(line: string): void {
    this.#timer ??= setTimeout(() => this.#flush(), 1000);
    const next = this.#pending === "" ? line : `\n${line}`;
    this.#pending += next;
    if (Buffer.byteLength(this.#pending) >= this.limitBytes) {
      this.#flush();
    }
  }

  #flush(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const body = this.#pending;
    this.#pending = "";
    if (body !== "") this.send(body);
  }
}
