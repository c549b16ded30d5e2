// A one-time async probe: its promise is kept and handed to every caller.
// expect: caching/promise-cache 5-10 elim 3 "one-time job"
// expect: caching/promise-cache 13-22 elim 4 "one-time job"
import { connect } from "node:net";
let probe: Promise<boolean> | undefined;

export function daemonAvailable(socketPath: string): Promise<boolean> {
  probe ??= check(socketPath);
  return probe;
}

export class Warmup {
  #ready: Promise<void> | undefined;

  ready(): Promise<void> {
    if (!this.#ready) {
      this.#ready = (async () => {
        await new Promise((resolve) => setImmediate(resolve));
      })();
    }
    return this.#ready;
  }
}

async function check(socketPath: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(socketPath, () => resolve(true));
    socket.on("error", () => resolve(false));
  });
}
