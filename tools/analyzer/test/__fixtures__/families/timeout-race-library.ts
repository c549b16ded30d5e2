// A read raced against a timer promise through a promise library's `race`; the timeout handler
// answers when the timer wins. The function exists for the race (the work raced is its parameter):
// it is the construct, from its declaration to its closing brace.
// expect: response/timeout-race 8-17 elim 10 "`Promise.race` of the work against a timer"
import { Unpromise } from "./unpromise.js";
import { timerResource, timerFired } from "./timer.js";

export async function withTimeout<T>(
  promise: Promise<T>,
  timeoutMs: number,
  onTimeout: () => Promise<T>,
): Promise<T> {
  const timeoutPromise = timerResource(timeoutMs);
  const res = await Unpromise.race([promise, timeoutPromise.start()]);
  if (res === timerFired) return onTimeout();
  return res as T;
}
