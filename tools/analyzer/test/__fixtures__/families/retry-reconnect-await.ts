// A feed that, when its socket closes, waits longer after each failed connection and then
// connects again: `connect` sets `onclose`, which calls `recover`, which sleeps and calls `connect`.
// expect: response/retry-backoff 27-34 elim 8 "registers the `ws.onclose` listener"
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export class Feed {
  #failures = 0;
  #closing = false;

  constructor(
    private readonly url: string,
    private readonly onItem: (item: unknown) => void,
  ) {}

  connect(): void {
    const ws = new WebSocket(this.url);
    ws.onmessage = (event) => this.onItem(JSON.parse(String(event.data)));
    ws.onclose = () => {
      void this.recover();
    };
  }

  close(): void {
    this.#closing = true;
  }

  private async recover(): Promise<void> {
    if (this.#closing) return;
    if (this.#failures < 10) {
      this.#failures += 1;
      await sleep(250 * this.#failures);
      this.connect();
    }
  }
}
