// Deadlines and liveness compared with the clock: an operation that ran out of time, a peer not
// heard from; no kept value expires.
// expect: none
export class Call {
  #deadline: number;
  #lastPong = Date.now();

  constructor(
    timeoutMs: number,
    private readonly pingTimeoutMs: number,
  ) {
    this.#deadline = Date.now() + timeoutMs;
  }

  timedOut(): boolean {
    return Date.now() > this.#deadline;
  }

  peerGone(): boolean {
    return Date.now() - this.#lastPong > this.pingTimeoutMs;
  }

  pong(): void {
    this.#lastPong = Date.now();
  }
}
