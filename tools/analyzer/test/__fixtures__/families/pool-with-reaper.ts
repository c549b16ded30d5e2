// A pool class with its own idle reaper: two mechanisms, each counted once.
// expect: memory/object-pool 4-29 elim 12 "free list"
// expect: memory/pool-idle-expiry 19-28 elim 10 "idle longer than a timeout"
export class SessionPool {
  readonly #free: { session: Session; since: number }[] = [];

  constructor(private readonly idleTimeoutMs: number) {}

  acquire(): Session {
    const entry = this.#free.pop();
    if (entry !== undefined) return entry.session;
    return new Session();
  }

  release(session: Session): void {
    this.#free.push({ session, since: Date.now() });
  }

  reapIdle(): void {
    const now = Date.now();
    for (let i = this.#free.length - 1; i >= 0; i--) {
      const entry = this.#free[i];
      if (entry !== undefined && now - entry.since > this.idleTimeoutMs) {
        entry.session.close();
        this.#free.splice(i, 1);
      }
    }
  }
}

class Session {
  close(): void {}
}
