// A kept value worked out again when its stored time is old: the check is an age (`clock -
// stamp`), the branch refills the field and stamps it again, and the method hands the field out.
// expect: caching/ttl-cache 15-18 elim 4 "worked out again and the stamp renewed"
// expect: caching/ttl-cache 32-36 elim 5 "worked out again and the stamp renewed"
declare function loadSettings(): Promise<string[]>;
declare function fetchRows(): Promise<number[]>;

const TTL = 60_000;

export class Settings {
  private value: string[] | undefined;
  private loadedAt = 0;

  async get(): Promise<string[]> {
    if (!this.value || Date.now() - this.loadedAt > TTL) {
      this.value = await loadSettings();
      this.loadedAt = Date.now();
    }
    return this.value;
  }
}

export class Stats {
  #rows: number[] = [];
  #at = 0;

  constructor(private readonly maxAge: number) {}

  // The age bound to a local first, then tested.
  async rows(): Promise<number[]> {
    const now = Date.now();
    const expired = now - this.#at >= this.maxAge;
    if (expired) {
      this.#rows = await fetchRows();
      this.#at = now;
    }
    return this.#rows;
  }
}
