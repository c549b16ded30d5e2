// The wait for a job's finish event is bounded by a timer whose callback hands a reason to the
// local failure handler, which rejects: the timer fails the operation through that function (the
// function exists for the wait; the handler only the timer calls is reported where it is).
// expect: response/timeout 8-22 elim 2 "rejects the pending operation through `onFailed`"
// expect: response/timeout 11-14 elim 4 "fails the pending operation (rejects the pending operation)"
import type { EventEmitter } from "node:events";

export function waitUntilFinished(events: EventEmitter, id: string, ttl: number): Promise<unknown> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return new Promise((resolve, reject) => {
    function onFailed(reason: string): void {
      events.off(`done:${id}`, onDone);
      reject(new Error(reason));
    }
    function onDone(value: unknown): void {
      clearTimeout(timer);
      resolve(value);
    }
    events.on(`done:${id}`, onDone);
    timer = setTimeout(() => onFailed(`job ${id} did not finish in ${String(ttl)} ms`), ttl);
  });
}
