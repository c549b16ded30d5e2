// A health check that runs every period: each run ends by scheduling the next one through a
// helper that clears and re-arms the timer. Periodic work, not a debounce.
// expect: none
export class HealthCheck {
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly period: number,
    private readonly probe: () => Promise<boolean>,
  ) {}

  start(): void {
    this.scheduleNext();
  }

  private scheduleNext(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      void this.check();
    }, this.period);
  }

  private async check(): Promise<void> {
    const healthy = await this.probe();
    if (!healthy) console.warn("unhealthy");
    this.scheduleNext();
  }
}
