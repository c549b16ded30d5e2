// Timers restarted with `refresh()` that are no debounce: an idle timeout that destroys the
// socket, a periodic task whose callback restarts its own timer, and a capture scheduled after a
// delay the caller passes; a flush window restarted once per batch (not on every write).
// expect: response/timeout 12-12 elim 1 "destroy"
import type { Socket } from "node:net";

export class Idle {
  private timer: ReturnType<typeof setTimeout> | undefined;
  constructor(private readonly socket: Socket) {}
  touch(): void {
    if (this.timer === undefined) {
      this.timer = setTimeout(() => this.socket.destroy(), 30_000);
    } else {
      this.timer.refresh();
    }
  }
}

export function every(work: () => void): ReturnType<typeof setTimeout> {
  const t: ReturnType<typeof setTimeout> = setTimeout(() => {
    work();
    t.refresh();
  }, 1_000);
  return t;
}

export class Sampler {
  private timer: ReturnType<typeof setTimeout> | undefined;
  constructor(private readonly collect: () => void) {}
  capture(after: number): void {
    if (!this.timer) {
      this.timer = setTimeout(() => this.collect(), after);
    } else {
      this.timer.refresh();
    }
  }
}

export class Batcher {
  private pending: string | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  constructor(private readonly flush: (json: string) => void) {}
  write(item: string): void {
    if (this.pending === undefined) {
      this.pending = `[${item}`;
      if (this.timer === undefined) {
        this.timer = setTimeout(() => this.emit(), 1_000);
      } else {
        this.timer.refresh();
      }
    } else {
      this.pending += `,${item}`;
    }
  }
  private emit(): void {
    if (this.pending !== undefined) this.flush(`${this.pending}]`);
    this.pending = undefined;
  }
}
