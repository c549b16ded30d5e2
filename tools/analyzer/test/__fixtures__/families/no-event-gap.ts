// The gap between two observed events: each message's arrival time becomes the start of the next
// gap, and a list of events is walked pairwise. Inter-arrival times, not an operation timed.
// expect: none
import { EventEmitter } from "node:events";

export class Feed extends EventEmitter {
  private lastMessageAt: number | undefined;

  onMessage(msg: string): void {
    const now = Date.now();
    if (this.lastMessageAt !== undefined) {
      const gap = now - this.lastMessageAt;
      this.emit("gap", gap, msg);
    }
    this.lastMessageAt = now;
  }
}
