// A keep-alive loop: ping, pause, go again while the client runs. The condition reads the object's
// own state (a running flag), not the outcome of an attempt — periodic work, not a retry.
// expect: none
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export class KeepAlive {
  private running = true;

  constructor(private readonly ping: () => Promise<void>) {}

  async loop(): Promise<void> {
    await this.ping();
    if (this.running) {
      await sleep(30_000);
      return this.loop();
    }
  }

  stop(): void {
    this.running = false;
  }
}
