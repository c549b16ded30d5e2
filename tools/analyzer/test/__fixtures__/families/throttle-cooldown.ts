// A cooldown that returns a settled nothing is a throttle (not a TTL cache: no stored value is
// reused), and sequence numbers handed out in records are not counters.
// expect: response/throttle 24-25 elim 2 "stamped with the clock"
interface Registration {
  readonly name: string;
  readonly order: number;
}

export class Reclaimer {
  #lastRun = Number.NEGATIVE_INFINITY;
  #order = 0;
  readonly #registrations: Registration[] = [];

  constructor(
    private readonly cooldownMs: number,
    private readonly now: () => number,
  ) {}

  register(name: string): void {
    this.#registrations.push({ name, order: this.#order++ });
  }

  reclaim(): Promise<void> {
    if (this.now() - this.#lastRun < this.cooldownMs) return Promise.resolve(undefined);
    this.#lastRun = this.now();
    return this.#run();
  }

  async #run(): Promise<void> {
    for (const r of this.#registrations) await Promise.resolve(r.name);
  }
}
