// An error is reported on a later turn through a 1 ms timer, cancelled if the socket closes first:
// a deferral, not a bound on how long anything may take.
// expect: none
import { EventEmitter } from "node:events";

export class Channel extends EventEmitter {
  private deferred: ReturnType<typeof setTimeout> | undefined;

  fail(error: Error): void {
    this.deferred = setTimeout(() => {
      this.emit("error", error);
    }, 1);
  }

  onClose(): void {
    clearTimeout(this.deferred);
  }
}
