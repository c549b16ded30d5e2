// Per-window aggregates kept by the start of their window: a finished span's end time cut to its
// bucket and handed to a map that makes one bucket per window; a timestamp cut by a small helper
// whose callers key a record of per-window samples; a ring of per-second slots indexed by the
// clock in seconds.
// expect: monitoring/rolling-window 9-14 elim 6 "per-window entries kept by the start time"
// expect: monitoring/rolling-window 21-25 elim 5 "time `endNs` cut to the start of its window"
// expect: monitoring/rolling-window 28-30 elim 3 "keys a store of per-window entries where it is called"
// expect: monitoring/rolling-window 45-49 elim 3 "the window's slot in a ring of per-window entries"
export class Buckets extends Map<number, number[]> {
  bucketFor(start: number): number[] {
    if (!this.has(start)) this.set(start, []);
    return this.get(start) as number[];
  }
}

export class Stats {
  private readonly buckets = new Buckets();

  constructor(private readonly widthNs: number) {}

  onFinished(span: { start: number; duration: number }): void {
    const endNs = span.start + span.duration;
    const bucketStart = endNs - (endNs % this.widthNs);
    this.buckets.bucketFor(bucketStart).push(span.duration);
  }
}

function windowStart(epochMs: number, width = 10_000): number {
  return Math.floor(epochMs / width) * width;
}

export class Periods {
  private readonly byPeriod: Record<number, number[]> = {};

  record(value: number): void {
    const period = windowStart(Date.now());
    (this.byPeriod[period] ??= []).push(value);
  }
}

export class Ring {
  private readonly slots: ({ second: number; spans: string[] } | undefined)[] = new Array(30);

  add(span: string): void {
    const second = Math.floor(Date.now() / 1000);
    const index = second % this.slots.length;
    const slot = this.slots[index] ?? { second, spans: [] };
    slot.spans.push(span);
    this.slots[index] = slot;
  }
}
