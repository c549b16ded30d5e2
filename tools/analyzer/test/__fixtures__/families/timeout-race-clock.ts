// A race against a timer set on an injected clock and cancelled when the race settles: one
// mechanism, reported once as the race with its handle's declaration (its timer is not a second
// timeout).
// expect: response/timeout-race 16-25 elim 10 "`Promise.race`"
interface Clock {
  setTimeout(fn: () => void, ms: number): { cancel(): void };
}

export class Tier {
  constructor(
    private readonly clock: Clock,
    private readonly timeoutMs: number,
  ) {}

  bounded<T>(run: () => Promise<T>): Promise<T> {
    let timer: { cancel(): void } | undefined;
    return Promise.race([
      run(),
      new Promise<never>((_resolve, reject) => {
        timer = this.clock.setTimeout(
          () => reject(new Error(`took longer than ${this.timeoutMs} ms`)),
          this.timeoutMs,
        );
      }),
    ]).finally(() => timer?.cancel());
  }
}
