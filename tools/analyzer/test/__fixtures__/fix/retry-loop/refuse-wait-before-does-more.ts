// Before each later attempt it waits, then checks whether it was closed meanwhile.
export class Watcher {
  private closed = false;

  async resubscribe(subscribe: () => Promise<number>): Promise<number> {
    let lastError: unknown;
    for (let attempt = 0; attempt < 3; attempt++) {
      if (attempt > 0) {
        await new Promise((resolve) => setTimeout(resolve, 500));
        if (this.closed) return -1;
      }
      try {
        return await subscribe();
      } catch (error) {
        lastError = error;
      }
    }
    throw lastError;
  }
}
