// Expiry checks of kept values whose stamp is written elsewhere (by the caller, or taken from a
// server's answer): the answer is the stored time compared with the clock.
// expect: caching/ttl-cache 21-26 elim 6 "stored time `expiry_date`"
// expect: caching/ttl-cache 28-30 elim 3 "stored time `time`"
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
  constructor(private readonly eagerRefreshMs: number) {}

  token: Token | undefined;

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
