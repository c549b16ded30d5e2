// Concurrent start() calls share one boot; a failed boot is dropped so that a later start() tries
// again, a boot that succeeded is kept and handed to every later start(): kept after it settles,
// a promise cache (dropped when it settles, it would be in-flight sharing).
// expect: caching/promise-cache 8-15 elim 6 "kept once it succeeds"
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
