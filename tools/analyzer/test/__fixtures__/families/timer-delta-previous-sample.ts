// Event-loop lag: the time since the previous tick's snapshot (a date made a number with `+`) less
// the interval, kept on the new snapshot.
// expect: monitoring/timer-delta 18-19 elim 1 "+previous.createdAt"
interface Snapshot {
  createdAt: Date;
  exceededMillis: number;
}

export class EventLoopSignal {
  private readonly snapshots: Snapshot[] = [];
  constructor(private readonly intervalMillis: number) {}

  handle(): void {
    const now = new Date();
    const snapshot: Snapshot = { createdAt: now, exceededMillis: 0 };
    const previous = this.snapshots[this.snapshots.length - 1];
    if (previous) {
      const delta = now.getTime() - +previous.createdAt - this.intervalMillis;
      snapshot.exceededMillis = Math.max(delta, 0);
    }
    this.snapshots.push(snapshot);
  }
}
