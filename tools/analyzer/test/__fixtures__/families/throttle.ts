// Progress is printed at most every 250 ms.
// expect: response/throttle 10-11 elim 2 "stamped with the clock"
export class Progress {
  #last = 0;

  constructor(private readonly print: (line: string) => void) {}

  update(done: number, total: number): void {
    const now = Date.now();
    if (now - this.#last < 250) return;
    this.#last = now;
    this.print(`${done}/${total}`);
  }
}
