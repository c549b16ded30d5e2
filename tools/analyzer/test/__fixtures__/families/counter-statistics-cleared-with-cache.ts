// Near miss of no-counter-own-collection-size: snapshots created, counted where each goes into the
// cache and zeroed when the cache is cleared — but logged as a statistic of that work: a metric.
// expect: monitoring/counter 6-12 elim 2 "only incremented"
export class SnapshotCache {
  private readonly cache = new Map<string, number>();
  private statCreated = 0;

  snapshot(path: string, time: number): number {
    const known = this.cache.get(path);
    if (known !== undefined) return known;
    this.cache.set(path, time);
    this.statCreated++;
    return time;
  }

  logStatistics(logger: { log(message: string): void }): void {
    logger.log(`${String(this.statCreated)} new snapshots created`);
  }

  clear(): void {
    this.cache.clear();
    this.statCreated = 0;
  }
}
