// A cut-off time (the clock minus a maximum age) handed to a store that drops older rows: a point
// in time, not a measured duration.
// expect: none
export class Cleaner {
  constructor(
    private readonly maxAge: number,
    private readonly store: { deleteOlderThan(time: number): Promise<number> },
  ) {}

  async clean(): Promise<number> {
    const cutoff = Date.now() - this.maxAge;
    return this.store.deleteOlderThan(cutoff);
  }
}
