// A race against an inline rejecting timer, in a class whose constructor comes first: the range is
// the race and its handle's declaration, never the constructor; eliminable: what `fix` removes
// (10 → 1 lines, +1 import).
// expect: response/timeout-race 14-23 elim 10 "`Promise.race`"
export class Client {
  readonly #timeoutMs: number;

  constructor(timeoutMs: number) {
    if (!(timeoutMs > 0)) throw new RangeError("timeoutMs must be positive");
    this.#timeoutMs = timeoutMs;
  }

  call<T>(run: () => Promise<T>): Promise<T> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    return Promise.race([
      run(),
      new Promise<never>((_resolve, reject) => {
        timer = setTimeout(
          () => reject(new Error(`took longer than ${this.#timeoutMs} ms`)),
          this.#timeoutMs,
        );
      }),
    ]).finally(() => clearTimeout(timer));
  }
}
