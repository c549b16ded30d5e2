// Expiry checks of kept values whose stamp is written elsewhere (by the caller, or taken from a
// server's answer): the answer is the stored time compared with the clock; where the kept value is
// refilled or served on that answer.
// expect: caching/ttl-cache 28-29 elim 2 "refilled when `isExpiring` says it expired"
// expect: caching/ttl-cache 35-37 elim 1 "on `isExpiring`'s expiry answer"
// expect: caching/ttl-cache 41-46 elim 6 "stored time `expiry_date`"
// expect: caching/ttl-cache 48-50 elim 3 "stored time `time`"
interface Token {
  readonly access_token: string;
  readonly expiry_date?: number;
}

interface SavedResult {
  readonly time: number;
  readonly duration: number;
  readonly result: unknown;
}

export class TokenHolder {
  constructor(
    private readonly eagerRefreshMs: number,
    private readonly refresh: () => Promise<Token>,
  ) {}

  token: Token | undefined;

  async accessToken(): Promise<string> {
    if (!this.token || this.isExpiring()) {
      this.token = await this.refresh();
    }
    return this.token.access_token;
  }

  cachedHeader(): string | undefined {
    if (this.token && !this.isExpiring()) {
      return `Bearer ${this.token.access_token}`;
    }
    return undefined;
  }

  isExpiring(): boolean {
    const expiryDate = this.token?.expiry_date;
    return expiryDate !== undefined
      ? expiryDate <= new Date().getTime() + this.eagerRefreshMs
      : false;
  }

  isStale(saved: SavedResult): boolean {
    return saved.time + saved.duration < Date.now();
  }
}
