// Concurrent start() calls share one boot; a failed boot is dropped so that a later start() tries
// again.
// expect: response/dedup 7-14 elim 6 "dropped if it fails, so a later call starts again"
export class System {
  private starting: Promise<void> | undefined;

  async start(): Promise<void> {
    this.starting ??= this.boot().catch(async (error: unknown) => {
      this.starting = undefined;
      await this.shutDown();
      throw error;
    });
    await this.starting;
  }

  private async boot(): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }

  private async shutDown(): Promise<void> {
    await Promise.resolve();
  }
}
