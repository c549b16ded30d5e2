// A minimum interval between refreshes: the time since the last success is kept in a local and
// compared with the interval before the work runs; the fetch stamps the time when it succeeds.
// expect: response/throttle 12-16 elim 5 "runs only when the clock is past `lastFetch`"
export class RemoteSettings {
  private lastFetch: number | null = null;
  private value = "";

  constructor(private readonly load: () => Promise<string>) {}

  async refresh(): Promise<void> {
    if (this.lastFetch !== null) {
      const since = Date.now() - this.lastFetch;
      if (since < 60_000) {
        console.debug("settings fetched less than a minute ago");
        return;
      }
    }
    this.value = await this.fetchOnce();
  }

  private fetchOnce(): Promise<string> {
    return this.load().then((value) => {
      this.lastFetch = Date.now();
      return value;
    });
  }
}
