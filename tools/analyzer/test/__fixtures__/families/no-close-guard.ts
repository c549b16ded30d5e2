// close() keeps its promise so a second call waits for the same teardown: a lifecycle guard.
// expect: none
export class Subscriber {
  private closing: Promise<void> | undefined;
  private closed = false;

  constructor(private readonly transport: { disconnect(): Promise<void> }) {}

  async close(): Promise<void> {
    if (!this.closing) {
      this.closing = (async () => {
        try {
          await this.transport.disconnect();
        } finally {
          this.closed = true;
        }
      })();
    }
    return this.closing;
  }
}
