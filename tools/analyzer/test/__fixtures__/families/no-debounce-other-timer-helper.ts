// A helper that clears another timer (the heartbeat) before a reconnect is scheduled: nothing is
// cleared and re-armed, so no debounce.
// expect: none
export class Link {
  private heartbeat: ReturnType<typeof setInterval> | undefined;
  private reconnectTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly open: () => void) {}

  private stopHeartbeat(): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = undefined;
  }

  lost(): void {
    this.stopHeartbeat();
    this.reconnectTimer = setTimeout(() => this.open(), 2_000);
  }
}
