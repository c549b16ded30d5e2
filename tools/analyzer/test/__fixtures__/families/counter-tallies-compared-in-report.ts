// Near miss of no-counter-queue-bookkeeping: two tallies compared with each other only inside the
// snapshot they are reported in (no statement's test) stay a metric object.
// expect: monitoring/metric-object 4-23 elim 17 "only incremented"
export class CacheStats {
  private hits = 0;
  private misses = 0;

  hit(): void {
    this.hits++;
  }

  miss(): void {
    this.misses++;
  }

  snapshot(): { hits: number; misses: number; state: string } {
    return {
      hits: this.hits,
      misses: this.misses,
      state: this.hits > this.misses ? "warm" : "cold",
    };
  }
}
