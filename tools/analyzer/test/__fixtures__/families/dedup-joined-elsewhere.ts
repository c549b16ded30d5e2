// One export at a time: a tick shares the export in progress; flush() waits for that same export
// in another method instead of starting a second one; close() drains it (a teardown, silent).
// expect: response/dedup 10-20 elim 9 "handed to concurrent callers"
// expect: response/dedup 23-25 elim 3 "waits for the pending operation"
export class Exporter {
  private running: Promise<void> | null = null;

  constructor(private readonly send: () => Promise<void>) {}

  tick(): Promise<void> {
    if (this.running) return this.running;
    this.running = (async () => {
      try {
        await this.send();
      } finally {
        this.running = null;
      }
    })();
    return this.running;
  }

  async flush(): Promise<void> {
    if (this.running) {
      await this.running;
    }
    await this.send();
  }

  async close(): Promise<void> {
    if (this.running) {
      await this.running;
    }
  }

  get busy(): boolean {
    if (this.running) return true;
    return false;
  }
}
