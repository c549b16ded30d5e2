// Fields that look lazily filled but hold state, a resource or a timer: not memos.
// expect: none
import { createConnection } from "node:net";
import type { Socket } from "node:net";

export class Client {
  #socket: Socket | undefined;
  #timer: ReturnType<typeof setInterval> | undefined;
  #mode: string | undefined;

  constructor(private readonly port: number) {}

  socket(): Socket {
    if (!this.#socket) {
      this.#socket = createConnection(this.port);
    }
    return this.#socket;
  }

  watch(enabled: boolean): void {
    if (enabled && !this.#timer) {
      this.#timer = setInterval(() => this.#socket?.write("ping"), 1000);
    }
  }

  mode(given: string): string {
    if (!this.#mode) {
      const chosen = given;
      this.#mode = chosen;
    }
    return this.#mode;
  }
}
