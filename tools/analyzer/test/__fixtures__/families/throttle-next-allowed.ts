// A sniff runs at most once per interval: the gate keeps the next allowed time (the clock plus the
// interval, set as the call goes through), not the time of the last run; a focus handler does the
// same with a local, and a state log is written at most once per logging interval.
// expect: response/throttle 16-19 elim 4 "set to the clock plus an interval"
// expect: response/throttle 27-30 elim 4 "set to the clock plus an interval"
// expect: response/throttle 42-45 elim 4 "stamped with the clock"
export class Transport {
  private nextSniff = 0;
  constructor(
    private readonly interval: number,
    private readonly sniff: (reason: string) => void,
  ) {}

  getConnection(): void {
    const now = Date.now();
    if (now > this.nextSniff) {
      this.nextSniff = now + this.interval;
      this.sniff("interval");
    }
  }
}

export function onFocus(throttleMs: number, revalidate: () => void): () => void {
  let nextRevalidateAt = 0;
  return () => {
    const now = Date.now();
    if (now > nextRevalidateAt) {
      nextRevalidateAt = now + throttleMs;
      revalidate();
    }
  };
}

export class StateLog {
  #lastLogged: number | undefined;
  constructor(private readonly everyMs: number) {}

  report(state: object): void {
    const now = Date.now();
    if (this.#lastLogged === undefined) {
      this.#lastLogged = now;
    } else if (now > this.#lastLogged + this.everyMs) {
      this.#lastLogged = now;
      console.info("state", state);
    }
  }
}
