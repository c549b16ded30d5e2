// A class that exists only to time a run: `start()` stamps the clock, `finish()` works out and
// keeps the elapsed time. The class is the construct.
// expect: monitoring/timer-delta 4-16 elim 11 "start mark"
export class RunTimer {
  #startedAt: number | null = null;
  #durationMs?: number;

  start(): void {
    this.#startedAt = Date.now();
  }

  finish(): number {
    this.#durationMs = Date.now() - (this.#startedAt ?? 0);
    return this.#durationMs;
  }
}
