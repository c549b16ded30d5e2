// Near miss of no-counter-backoff-exponent and no-counter-period: the failed sends of a client,
// kept for its stats getter, beside a backoff whose exponent is the attempt parameter (not the
// tally); and a flush count compared with a bound but zeroed only by the scrape, never where it is
// compared. Both are metrics.
// expect: monitoring/counter 10-18 elim 2 "only incremented"
// expect: response/retry-backoff 15-21 elim 7 "schedules the operation again"
// expect: monitoring/counter 30-38 elim 2 "also compared with a limit"
// expect: monitoring/counter 44-45 elim 2 "a scrape"
export class Client {
  private errors = 0;

  constructor(private readonly send: () => Promise<void>) {}

  async call(attempt = 0): Promise<void> {
    try {
      await this.send();
    } catch {
      this.errors += 1;
      await new Promise((r) => setTimeout(r, 100 * 2 ** attempt));
      return this.call(attempt + 1);
    }
  }

  getErrors(): number {
    return this.errors;
  }
}

export class Flusher {
  private flushes = 0;

  constructor(
    private readonly write: () => void,
    private readonly maxFlushes: number,
  ) {}

  flush(): void {
    this.flushes++;
    if (this.flushes > this.maxFlushes) throw new Error("flushed too often");
    this.write();
  }

  scrape(): { flushes: number } {
    const out = { flushes: this.flushes };
    this.flushes = 0;
    return out;
  }
}
