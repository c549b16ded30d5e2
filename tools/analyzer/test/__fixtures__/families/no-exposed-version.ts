// A public count of discards that sessions compare with their own snapshot: a version that
// drives replays, not a statistic — and a lone result field of a batch.
// expect: none
export class Registry {
  readonly #entries = new Map<string, string>();
  discardCount = 0;

  discard(name: string): boolean {
    const removed = this.#entries.delete(name);
    if (removed) this.discardCount++;
    return removed;
  }
}

export class Session {
  synced = 0;

  constructor(private readonly registry: Registry) {}

  stale(): boolean {
    return this.synced < this.registry.discardCount;
  }
}

export class Batch {
  executed = 0;

  record(): void {
    this.executed++;
  }
}
