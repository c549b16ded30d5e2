// A #private mark set in the constructor and read once, in seconds.
export class Session {
  #openedAt: number;

  constructor(readonly id: string) {
    this.#openedAt = performance.now();
  }

  close(): number {
    const seconds = (performance.now() - this.#openedAt) / 1000;
    console.log(`session ${this.id} closed after ${seconds} s`);
    return seconds;
  }
}
