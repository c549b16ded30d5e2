// A session kept in a field with its expiry stamped beside it: reused while the stamp is ahead
// of the clock (the near miss of no-rate-limit-deadline.ts: here a value is kept with the stamp).
// expect: caching/ttl-cache 11-11 elim 1 "compared with the clock"
export class SessionSource {
  private session: string | undefined;
  private expiresAt = 0;

  constructor(private readonly login: () => Promise<{ id: string; ttlMs: number }>) {}

  isValid(): boolean {
    return this.session !== undefined && this.expiresAt > Date.now();
  }

  async renew(): Promise<void> {
    const { id, ttlMs } = await this.login();
    this.session = id;
    this.expiresAt = Date.now() + ttlMs;
  }
}
