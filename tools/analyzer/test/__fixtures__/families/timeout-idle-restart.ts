// An idle timeout: re-armed on every message, and when the connection goes quiet its callback
// hands over to a method that closes the connection. The timer ends the operation, so it is a
// timeout (restartable), not a debounce of work; the method it hands over to goes with it.
// expect: response/timeout 16-23 elim 6 "ends the operation through `onIdle`"
export class Connection {
  private idle: ReturnType<typeof setTimeout> | undefined;
  private readonly received: string[] = [];

  constructor(
    private readonly socket: { destroy(error?: Error): void },
    private readonly idleMs: number,
  ) {}

  receive(message: string): void {
    this.received.push(message);
    clearTimeout(this.idle);
    this.idle = setTimeout(() => this.onIdle(), this.idleMs);
  }

  private onIdle(): void {
    this.received.length = 0;
    this.socket.destroy(new Error(`no message for ${String(this.idleMs)} ms`));
  }
}
