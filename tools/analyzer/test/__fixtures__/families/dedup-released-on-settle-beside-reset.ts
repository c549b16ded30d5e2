// Near miss of promise-cache-kept-until-reset: the same slot is also emptied when the lookup
// settles (`finally`), so only callers that arrive while it runs share it — in-flight sharing.
// expect: response/dedup 15-17 elim 3 "emptied when it settles"
export class Reader {
  private pending: Promise<number> | null;
  private offset: number;

  constructor(private readonly source: { read(): Promise<number> }) {
    this.pending = null;
    this.offset = 0;
  }

  async next(): Promise<number> {
    const offset = this.offset++;
    if (this.pending == null) {
      this.pending = this.load().finally(() => (this.pending = null));
    }
    return (await this.pending) + offset;
  }

  private async load(): Promise<number> {
    return this.source.read();
  }

  reset(): void {
    this.offset = 0;
    this.pending = null;
  }
}
