// Idle connections older than the idle timeout are closed, keeping at least `min`.
// expect: memory/pool-idle-expiry 10-20 elim 11 "idle longer than a timeout"
interface Idle { readonly close: () => void; readonly since: number }

export class ConnectionReaper {
  readonly idle: Idle[] = [];

  constructor(private readonly min: number, private readonly idleTimeoutMs: number) {}

  reap(): void {
    const now = Date.now();
    const keep: Idle[] = [];
    for (const connection of this.idle) {
      if (now - connection.since >= this.idleTimeoutMs && this.idle.length - keep.length > this.min) {
        connection.close();
      } else keep.push(connection);
    }
    this.idle.length = 0;
    this.idle.push(...keep);
  }
}
