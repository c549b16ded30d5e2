// A renewal that re-arms itself after each run: a periodic task, not a debounce.
// expect: none
export class Renewer {
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly renew: () => Promise<void>) {}

  start(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(async () => {
      await this.renew();
      this.start();
    }, 15_000);
  }
}
