// An expiry kept as a `Date`, read back with `getTime()` against a clock local with any name.
// expect: caching/ttl-cache 13-18 elim 4 "stamp `keysExpire` written from the clock"
export class KeyRing {
  private keys: Record<string, string> = {};
  private keysExpire: Date | null = null;

  constructor(
    private readonly fetchKeys: () => Promise<{ keys: Record<string, string>; maxAge: number }>,
  ) {}

  async current(): Promise<Record<string, string>> {
    const nowMs = new Date().getTime();
    if (this.keysExpire && nowMs < this.keysExpire.getTime()) {
      return this.keys;
    }
    const res = await this.fetchKeys();
    const when = new Date();
    this.keysExpire = new Date(when.getTime() + res.maxAge);
    this.keys = res.keys;
    return this.keys;
  }
}
