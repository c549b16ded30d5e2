// Near miss of no-counter-domain-arithmetic: tallies added to each other (a total of lookups) and a
// count kept by a closure that outlives the call making it, read through its accessor.
// expect: monitoring/metric-object 5-20 elim 13 "counters"
// expect: monitoring/counter 23-25 elim 2 "only incremented"
export class LookupStats {
  private hits = 0;
  private misses = 0;

  hit(): void {
    this.hits++;
  }

  miss(): void {
    this.misses++;
  }

  total(): number {
    return this.hits + this.misses;
  }
}

export function requestCounter(server: { on(event: string, fn: () => void): void }) {
  let requests = 0;
  server.on("request", () => {
    requests++;
  });
  return { read: () => requests };
}
