// A base class's expiry check: whether the stored token's expiry is past, compared with the clock
// (its subclass in ttl-inherited-check-use.ts refills the token when this says so).
// expect: caching/ttl-cache 14-19 elim 6 "answers whether the stored time `expiresAt` is past"
export interface Credentials {
  readonly token?: string;
  readonly expiresAt?: number;
}

export class AuthClient {
  protected credentials: Credentials = {};

  protected readonly skew = 5_000;

  protected isExpiring(): boolean {
    return (
      this.credentials.expiresAt !== undefined &&
      this.credentials.expiresAt - this.skew <= Date.now()
    );
  }
}
