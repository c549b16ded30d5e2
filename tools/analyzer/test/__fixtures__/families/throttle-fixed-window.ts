// The near miss of no-window-reset.ts: the count reset per window is compared with a bound and
// refuses the call past it — a fixed-window rate limit.
// expect: response/throttle 8-11 elim 4 "stamped with the clock"
let sent = 0;
let windowStart = 0;

export function trySend(max: number, send: () => void): boolean {
  if (Date.now() >= windowStart + 60_000) {
    windowStart = Date.now();
    sent = 0;
  }
  if (sent >= max) return false;
  sent++;
  send();
  return true;
}
