// Look-alike of an empty-or-stale refill: a rate window reset when missing or old (the branch
// stores a fresh counter, nothing worked out): the time gates an action, not a kept value's
// freshness.
// expect: none
export class Limiter {
  private window?: { count: number; startedAt: number };
  private openedAt = 0;

  allow(limit: number, span: number): boolean {
    const now = Date.now();
    if (!this.window || now - this.openedAt > span) {
      this.window = { count: 0, startedAt: now };
      this.openedAt = now;
    }
    this.window.count += 1;
    return this.window.count <= limit;
  }
}
