// Per-window aggregates keyed by a time cut with `Math.floor(t / w) * w` in a file with no
// remainder operator anywhere (the detector used to skip such files before looking).
// expect: monitoring/rolling-window 13-15 elim 3 "keys a store of per-window entries where it is called"
export class Periods {
  private readonly byPeriod: Record<number, number[]> = {};

  record(value: number): void {
    const period = windowStart(Date.now());
    (this.byPeriod[period] ??= []).push(value);
  }
}

function windowStart(epochMs: number, width = 10_000): number {
  return Math.floor(epochMs / width) * width;
}
