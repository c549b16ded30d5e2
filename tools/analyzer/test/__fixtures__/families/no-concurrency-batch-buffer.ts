// A buffer flushed when it holds `max` records: it batches data, nothing in it is running.
// expect: none
export class Batcher {
  private rows: string[] = [];

  constructor(
    private readonly max: number,
    private readonly write: (rows: string[]) => Promise<void>,
  ) {}

  async add(row: string): Promise<void> {
    this.rows.push(row);
    if (this.rows.length >= this.max) await this.flush();
  }

  async flush(): Promise<void> {
    const out = this.rows.splice(0, this.rows.length);
    await this.write(out);
  }
}
