// Waiting for a notification, or at most a while, then going on either way: a deadline wait.
// expect: none
import { EventEmitter, once } from "node:events";

export function waitForNotice(events: EventEmitter, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    void once(events, "notice").then(() => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}
