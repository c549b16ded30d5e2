// A connection taken in a `.then` whose chain is kept in a field of its own (the caller waits on
// that field, the connection is a resource made once), and a `.then` whose stored value does not
// come from the work's answer: neither is a value memo.
// expect: none
interface Driver {
  obtainConnection(): Promise<object>;
  ping(): Promise<void>;
}

export class QueryRunner {
  private connection: object | undefined;
  private ready: Promise<object> | undefined;
  private label: string | undefined;

  constructor(
    private readonly driver: Driver,
    private readonly name: string,
  ) {}

  connect(): Promise<object> {
    if (this.connection) return Promise.resolve(this.connection);
    this.ready = this.driver.obtainConnection().then((connection) => {
      this.connection = connection;
      return connection;
    });
    return this.ready;
  }

  describe(): Promise<string> {
    if (this.label) return Promise.resolve(this.label);
    return this.driver.ping().then(() => {
      this.label = this.name;
      return this.label;
    });
  }
}
