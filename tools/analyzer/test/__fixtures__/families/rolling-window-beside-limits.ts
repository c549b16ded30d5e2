// Near misses of the rate-limit guard: per-window entries whose largest sample is kept by a
// comparison that decides nothing but the maximum.
// expect: monitoring/rolling-window 12-17 elim 4 "keys a store of per-window entries"
// expect: monitoring/rolling-window 22-25 elim 4 "the window's slot in a ring"
interface Window {
  count: number;
  max: number;
}
const windows = new Map<number, Window>();

export function record(latencyMs: number): void {
  const now = Date.now();
  const start = Math.floor(now / 10_000) * 10_000;
  const bucket = windows.get(start) ?? { count: 0, max: 0 };
  bucket.count += 1;
  if (latencyMs > bucket.max) bucket.max = latencyMs;
  windows.set(start, bucket);
}

const peaks: number[] = new Array<number>(60).fill(0);

export function peak(latencyMs: number): void {
  const slot = Math.floor(Date.now() / 1000) % 60;
  if (latencyMs > (peaks[slot] ?? 0)) peaks[slot] = latencyMs;
}
