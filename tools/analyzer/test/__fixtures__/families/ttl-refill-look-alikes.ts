// Age checks that refill nothing: a rate-limited heartbeat whose branch only counts (a tally
// worked out from its own value), and a closure's deadline. Neither is a TTL cache; the heartbeat
// stays a throttle.
// expect: response/throttle 13-17 elim 5 "stamped with the clock"
export class Heartbeat {
  private last = 0;
  private beats = 0;

  constructor(private readonly send: () => Promise<void>) {}

  async tick(): Promise<number> {
    const now = Date.now();
    if (now - this.last > 5000) {
      await this.send();
      this.beats = Math.max(this.beats + 1, 0);
      this.last = now;
    }
    return this.beats;
  }
}

export function waitUntil(ready: () => boolean, timeout: number): Promise<void> {
  const startTime = Date.now();
  return new Promise((resolve, reject) => {
    const check = (): void => {
      if (ready()) return resolve();
      if (Date.now() - startTime > timeout) return reject(new Error("not ready in time"));
      setTimeout(check, 50);
    };
    check();
  });
}
