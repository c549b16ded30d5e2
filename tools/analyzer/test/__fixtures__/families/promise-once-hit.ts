// A connection promise kept once and handed to every later caller (hit returned first).
// expect: caching/promise-cache 9-31 elim 4 "one-time job"
interface Pool {
  acquire(replica: boolean): Promise<string>;
}

export class Runner {
  connection: string | undefined;
  #connecting: Promise<string> | undefined;

  constructor(
    private readonly pool: Pool,
    private readonly replica: boolean,
  ) {}

  connect(): Promise<string> {
    if (this.connection) return Promise.resolve(this.connection);
    if (this.#connecting) return this.#connecting;
    if (this.replica) {
      this.#connecting = this.pool.acquire(true).then((c) => {
        this.connection = c;
        return c;
      });
    } else {
      this.#connecting = this.pool.acquire(false).then((c) => {
        this.connection = c;
        return c;
      });
    }
    return this.#connecting;
  }
}
