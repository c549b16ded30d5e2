// A watchdog re-armed on every ping: when none arrives within interval + grace the connection is
// closed with a timeout reason; closing clears it in another method.
// expect: response/timeout 15-18 elim 4 "reports a timeout"
// expect: response/timeout 22-25 elim 4 "clears the timeout timer"
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
