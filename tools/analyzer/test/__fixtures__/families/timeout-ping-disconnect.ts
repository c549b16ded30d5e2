// A socket's liveness watchdog: re-armed on every server ping, it tears the connection down when no
// ping arrives before the timeout. `onPing` does nothing else: the method is the range.
// expect: response/timeout 13-19 elim 7 "disconnect"
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
