// A class that only keeps cache statistics.
// expect: monitoring/metric-object 3-19 elim 14 "counters"
export class CacheStatistics {
  #hits = 0;
  #misses = 0;

  hit(): void {
    this.#hits++;
  }

  miss(): void {
    this.#misses++;
  }

  snapshot(): { hits: number; misses: number; ratio: number } {
    const total = this.#hits + this.#misses;
    return { hits: this.#hits, misses: this.#misses, ratio: total === 0 ? 0 : this.#hits / total };
  }
}
