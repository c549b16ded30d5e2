// A socket's liveness watchdog: re-armed on every server ping, it tears the connection down when no
// ping arrives before the timeout.
// expect: response/timeout 14-18 elim 5 "disconnect"
export class SocketClient {
  private serverPingTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly serverPingTimeoutMs: number,
    private readonly disconnect: () => void,
    private readonly warn: (message: string) => void,
  ) {}

  onPing(): void {
    clearTimeout(this.serverPingTimer);
    this.serverPingTimer = setTimeout(() => {
      this.warn(`no ping from the server within ${String(this.serverPingTimeoutMs)} ms`);
      this.disconnect();
    }, this.serverPingTimeoutMs);
  }
}
