// Look-alikes: a connection opened once and a module imported once (lazy initialisation, left out).
// expect: none
interface Conn {
  query(sql: string): Promise<unknown[]>;
}

export class Repo {
  private conn: Conn | undefined;
  private mod: { version: string } | undefined;

  constructor(private readonly pool: { connect(): Promise<Conn> }) {}

  async rows(sql: string): Promise<unknown[]> {
    if (!this.conn) {
      this.conn = await this.pool.connect();
    }
    return this.conn.query(sql);
  }

  async version(): Promise<string> {
    this.mod ??= (await import("./version.js")) as { version: string };
    return this.mod.version;
  }
}
