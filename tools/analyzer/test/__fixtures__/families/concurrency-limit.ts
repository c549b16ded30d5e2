// At most `max` uploads at once; the others wait in a queue.
// expect: response/concurrency-limit 3-23 elim 18 "counts running tasks"
export class UploadLimiter {
  #running = 0;
  readonly #waiting: (() => void)[] = [];

  constructor(private readonly max: number) {}

  async run<T>(upload: () => Promise<T>): Promise<T> {
    if (this.#running >= this.max) await new Promise<void>((resolve) => this.#waiting.push(resolve));
    this.#running++;
    try {
      return await upload();
    } finally {
      this.#running--;
      this.#waiting.shift()?.();
    }
  }

  get pending(): number {
    return this.#waiting.length;
  }
}
