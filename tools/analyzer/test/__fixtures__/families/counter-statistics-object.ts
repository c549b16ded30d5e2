// Tallies raised on a statistics object the crawler holds, read by whoever reports that object.
// expect: monitoring/counter 18-23 elim 2 "public fields read only outside their class"
interface Statistics {
  state: { httpOnlyRuns: number; browserRuns: number; mispredictions: number };
}

export class AdaptiveCrawler {
  constructor(
    private readonly statistics: Statistics,
    private readonly log: (line: string) => void,
  ) {}

  async handle(url: string, predictStatic: boolean, run: (browser: boolean) => Promise<boolean>) {
    if (predictStatic) {
      this.log(`Running HTTP-only request handler for ${url}`);
      const ok = await run(false);
      if (ok) return;
      this.statistics.state.mispredictions++;
    }
    this.log(`Running browser request handler for ${url}`);
    await run(true);
    if (!predictStatic) return;
    this.statistics.state.browserRuns++;
  }
}
