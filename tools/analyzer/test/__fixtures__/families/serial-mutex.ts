// Commands on one connection run one at a time: each waits for the promise of the one before.
// expect: response/concurrency-limit 8-20 elim 13 "one at a time"
export class Connection {
  private tail: Promise<void> = Promise.resolve();

  constructor(private readonly send: (command: string) => Promise<string>) {}

  async command(text: string): Promise<string> {
    const before = this.tail;
    let done!: () => void;
    this.tail = new Promise<void>((resolve) => {
      done = resolve;
    });
    await before;
    try {
      return await this.send(text);
    } finally {
      done();
    }
  }
}
