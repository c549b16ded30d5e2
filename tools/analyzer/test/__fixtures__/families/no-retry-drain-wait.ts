// On a clean close, wait until the socket's buffer has drained; on an error, close at once. The
// `if (!err)` branch is the success path, and the loop polls a state, it retries nothing.
// expect: none
const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

interface Socket {
  bufferedAmount: number;
  close(): void;
}

export class Transport {
  private closed = false;

  constructor(private readonly socket: Socket) {}

  async close(err?: Error): Promise<void> {
    if (!err) {
      while (!this.closed && this.socket.bufferedAmount > 0) {
        await delay(100);
      }
    }
    this.closed = true;
    this.socket.close();
  }
}
