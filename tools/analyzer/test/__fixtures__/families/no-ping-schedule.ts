// The ping side of a heartbeat: each tick sends a ping and hands over to a watchdog kept
// elsewhere; nothing here fails or bounds an operation.
// expect: none
export class Pinger {
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly pingInterval: number,
    private readonly send: (packet: string) => void,
    private readonly watchdog: { resetPingTimeout(): void },
  ) {}

  schedulePing(): void {
    this.timer = setTimeout(() => {
      this.send("ping");
      this.watchdog.resetPingTimeout();
    }, this.pingInterval);
  }

  stop(): void {
    clearTimeout(this.timer);
  }
}
