// Work in flight held in a local, then in a slot emptied when it settles: in-flight sharing, not a memo.
// expect: none
export class Reclaimer {
  #running: Promise<number> | undefined;
  #last = 0;

  constructor(private readonly work: (target: number) => Promise<number>) {}

  reclaim(target: number): Promise<number> {
    if (this.#running !== undefined) return this.#running;
    this.#last = target;
    const running = this.work(target).finally(() => {
      this.#running = undefined;
    });
    this.#running = running;
    return running;
  }
}
