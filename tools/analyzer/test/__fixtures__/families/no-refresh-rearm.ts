// A token refresh timer: the callback refreshes and arms the timer again through the method that
// started it. A renewal loop (its failure is reported as an error), not a timeout of one operation.
// expect: none
import { EventEmitter } from "node:events";

export class Credentials extends EventEmitter {
  #timer: NodeJS.Timeout | undefined;
  #token = "";

  constructor(private readonly fetchToken: () => Promise<{ token: string; ttl: number }>) {
    super();
  }

  start(): void {
    this.#arm(0);
  }

  #arm(delay: number): void {
    this.#timer = setTimeout(this.#refresh.bind(this), delay);
  }

  async #refresh(): Promise<void> {
    const next = await this.fetchToken().catch(() => undefined);
    if (next === undefined) {
      this.emit("error", new Error("token refresh failed"));
      return;
    }
    this.#token = next.token;
    this.#arm(next.ttl * 800);
  }

  stop(): void {
    clearTimeout(this.#timer);
  }
}
