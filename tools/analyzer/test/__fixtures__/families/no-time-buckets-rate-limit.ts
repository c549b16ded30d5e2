// Requests counted per window to decide whether to admit one: a fixed-window rate limit (response
// control), not samples kept for a report.
// expect: none
const admitted = new Map<number, number>();

export function admit(limit: number, windowMs: number): boolean {
  const now = Date.now();
  const window = Math.floor(now / windowMs) * windowMs;
  const count = (admitted.get(window) ?? 0) + 1;
  admitted.set(window, count);
  if (count > limit) return false;
  return true;
}

const perSecond: number[] = new Array<number>(60).fill(0);

export function hit(limit: number): boolean {
  const slot = Math.floor(Date.now() / 1000) % 60;
  perSecond[slot] = (perSecond[slot] ?? 0) + 1;
  return (perSecond[slot] ?? 0) <= limit;
}
