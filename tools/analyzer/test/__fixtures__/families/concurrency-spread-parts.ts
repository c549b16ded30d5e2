// A client keeps a count of requests in flight among many other things: the check and the raise
// sit together, the lower is far below. The finding covers the check's own statements, not the
// class between them.
// expect: response/concurrency-limit 16-18 elim 3 "counts running tasks"
export class Client {
  private inFlight = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    readonly name: string,
    private readonly maxInFlight: number,
    private readonly send: (body: string) => Promise<string>,
  ) {}

  async request(body: string): Promise<string> {
    if (this.inFlight >= this.maxInFlight)
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.inFlight++;
    return this.send(body).finally(() => this.done());
  }

  describe0(): string {
    return `0:${this.name}`;
  }

  describe1(): string {
    return `1:${this.name}`;
  }

  describe2(): string {
    return `2:${this.name}`;
  }

  describe3(): string {
    return `3:${this.name}`;
  }

  describe4(): string {
    return `4:${this.name}`;
  }

  describe5(): string {
    return `5:${this.name}`;
  }

  describe6(): string {
    return `6:${this.name}`;
  }

  describe7(): string {
    return `7:${this.name}`;
  }

  describe8(): string {
    return `8:${this.name}`;
  }

  describe9(): string {
    return `9:${this.name}`;
  }

  describe10(): string {
    return `10:${this.name}`;
  }

  describe11(): string {
    return `11:${this.name}`;
  }

  describe12(): string {
    return `12:${this.name}`;
  }

  describe13(): string {
    return `13:${this.name}`;
  }

  describe14(): string {
    return `14:${this.name}`;
  }

  describe15(): string {
    return `15:${this.name}`;
  }

  private done(): void {
    this.inFlight--;
    this.waiting.shift()?.();
  }
}
