// Look-alike: a per-client window kept in a Map with its reset time; the entry got back is
// compared with the clock to decide whether to let a request through (a rate limit acting on the
// time, not an entry's freshness: nothing is reused or dropped, the answer is a boolean).
// expect: none
export class PerClient {
  private hits = new Map<string, { count: number; resetAt: number }>();

  allow(client: string, limit: number, resetAt: number): boolean {
    const entry = this.hits.get(client);
    if (entry === undefined || Date.now() >= entry.resetAt) {
      this.hits.set(client, { count: 1, resetAt });
      return true;
    }
    entry.count += 1;
    return entry.count <= limit;
  }
}
