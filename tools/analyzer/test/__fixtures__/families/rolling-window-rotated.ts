// Success and failure counts of the current interval, moved to the last interval's slot when the
// interval ends: a window rotated by hand.
// expect: monitoring/rolling-window 8-29 elim 18 "a window rotated by hand"
interface Bucket {
  success: number;
  failure: number;
}
export class CallCounter {
  private active: Bucket = { success: 0, failure: 0 };
  private inactive: Bucket = { success: 0, failure: 0 };

  addSuccess(): void {
    this.active.success += 1;
  }

  addFailure(): void {
    this.active.failure += 1;
  }

  switchBuckets(): void {
    this.inactive = this.active;
    this.active = { success: 0, failure: 0 };
  }

  lastFailureRate(): number {
    const total = this.inactive.success + this.inactive.failure;
    return total === 0 ? 0 : this.inactive.failure / total;
  }
}
