// Windows of samples by hand: the last N ping latencies of a host kept and averaged, and download
// snapshots dropped once older than the history window, their bytes summed to a speed.
// expect: monitoring/rolling-window 10-12 elim 3 "at a cap on their count"
// expect: monitoring/rolling-window 20-29 elim 3 "once older than a window"
export class LatencyTracker {
  private readonly history: number[] = [];
  constructor(private readonly collectCount: number) {}

  record(latencyMs: number): number {
    if (this.history.length > this.collectCount - 1) this.history.shift();
    this.history.push(latencyMs);
    return this.history.reduce((sum, x) => sum + x, 0) / this.history.length;
  }
}

export function speedCheck(minKbps: number, windowMs: number, fail: (e: Error) => void) {
  let snapshots: { at: number; bytes: number }[] = [];
  const timer = setInterval(() => {
    const now = Date.now();
    snapshots = snapshots.filter((s) => now - s.at < windowMs);
    const bytes = snapshots.reduce((sum, s) => sum + s.bytes, 0);
    const seconds = (now - (snapshots[0]?.at ?? 0)) / 1000;
    if (bytes / 1024 / seconds < minKbps) {
      clearInterval(timer);
      fail(new Error("too slow"));
    }
  }, 5000);
  return (chunk: Uint8Array): void => {
    snapshots.push({ at: Date.now(), bytes: chunk.length });
  };
}
