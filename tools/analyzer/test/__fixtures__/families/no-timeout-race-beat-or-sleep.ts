// Races with a timer that is no deadline: a loop that looks at an exit flag again after each
// beat, and a sleep that a cancellation cuts short (the timer is the work itself).
// expect: none
import { setTimeout } from "node:timers/promises";

export class Child {
  exited = false;
  constructor(private readonly stop: () => Promise<number>) {}
  async end(): Promise<number | null> {
    const stopping = this.stop();
    let code: number | null = null;
    while (!this.exited) {
      code = await Promise.race([stopping, setTimeout(100, null)]);
    }
    return code;
  }
}

export class Context {
  constructor(private readonly cancelled: Promise<never>) {}
  readonly sleep = (ms: number): Promise<void> => {
    let handle: ReturnType<typeof setTimeout> | undefined;
    const timer = new Promise<void>((resolve) => {
      handle = globalThis.setTimeout(resolve, ms);
    });
    return Promise.race([this.cancelled.finally(() => clearTimeout(handle)), timer]);
  };
}
