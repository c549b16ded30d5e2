// Connections opened up front, each replaced when it closes: a warm-up, no worker takes a next
// item when its work ends.
// expect: none
export class Warmup {
  readonly #open: { once(event: "close", listener: () => void): void }[] = [];

  constructor(
    private readonly connect: () => Promise<{ once(event: "close", listener: () => void): void }>,
    private readonly min: number,
  ) {}

  start(): void {
    for (let i = 0; i < this.min; i++) {
      this.create();
    }
  }

  create(): void {
    void this.connect().then((c) => {
      this.#open.push(c);
      c.once("close", () => this.create());
    });
  }
}
