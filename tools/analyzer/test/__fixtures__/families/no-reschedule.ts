// Rescheduling a refresh with a delay the caller computes is not a debounce.
// expect: none
export class TokenRefresher {
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly refresh: () => void) {}

  scheduleNext(delayMs: number): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.refresh(), delayMs);
  }
}
