// In-flight work joined through an event: while a run is marked in progress, later callers wait
// for the event the run emits when it ends instead of starting another.
// expect: response/dedup 8-22 elim 15 "callers wait for its `open` event"
// expect: response/dedup 24-37 elim 14 "callers wait for its `switched` event"
import { EventEmitter, once } from "node:events";

export class Pool extends EventEmitter {
  async grow() {
    if (this.opening) {
      return once(this, "open");
    }
    this.opening = true;
    let failure;
    try {
      this.connections.push(await this.connect());
    } catch (err) {
      failure = err;
    }
    this.opening = false;
    this.emit("open", failure);
    if (failure) throw failure;
  }

  async use(name) {
    if (name === this.current) return;
    if (this.pendingName === name) {
      return new Promise((resolve) => this.once("switched", resolve));
    }
    this.pendingName = name;
    try {
      await this.send(`USE ${name}`);
      this.current = name;
      this.emit("switched");
    } finally {
      this.pendingName = null;
    }
  }
}
