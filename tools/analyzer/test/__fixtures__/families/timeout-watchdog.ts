// A watchdog re-armed on every ping: when none arrives within interval + grace the connection is
// closed with a timeout reason; closing clears it in another method, next to it: one finding.
// expect: response/timeout 13-24 elim 10 "clears the timeout timer"
export class Connection {
  private watchdog: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly pingInterval: number,
    private readonly grace: number,
    private readonly onClose: (reason: string) => void,
  ) {}

  onPing(): void {
    clearTimeout(this.watchdog);
    this.watchdog = setTimeout(() => {
      this.onClose("ping timeout");
    }, this.pingInterval + this.grace);
  }

  close(): void {
    if (this.watchdog !== undefined) {
      clearTimeout(this.watchdog);
    }
    this.watchdog = undefined;
    this.onClose("closed");
  }
}
