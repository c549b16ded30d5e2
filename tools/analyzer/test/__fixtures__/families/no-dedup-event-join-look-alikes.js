// Look-alikes: callers that wait for a state change another method announces — backpressure
// lifted by a drain, a connection becoming ready. The method that waits never emits the event
// itself, so no run of its own is shared.
// expect: none
import { EventEmitter, once } from "node:events";

export class Writer extends EventEmitter {
  async send(message) {
    if (this.paused) {
      return once(this, "drain");
    }
    this.paused = !this.socket.write(message);
    this.sent = (this.sent ?? 0) + 1;
    this.paused = false;
  }

  onDrain() {
    this.paused = false;
    this.emit("drain");
  }

  async whenReady() {
    if (this.state === "connecting") {
      return once(this, "ready");
    }
    this.state = "checked";
    this.state = null;
  }

  markReady() {
    this.emit("ready");
  }
}
