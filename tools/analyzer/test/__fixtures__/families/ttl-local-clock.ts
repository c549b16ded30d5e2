// An expiry stamped from a local clock reading, checked where the stored token is reused.
// expect: caching/ttl-cache 27-27 elim 1 "compared with the clock"
interface Token {
  readonly value: string;
  readonly expiresAt: number;
}

export class TokenSource {
  #token: Token | null = null;

  constructor(private readonly fetchToken: () => Promise<{ value: string; ttl: number }>) {}

  async token(): Promise<string> {
    if (this.#token !== null && !TokenSource.expired(this.#token)) return this.#token.value;
    return this.#refresh();
  }

  async #refresh(): Promise<string> {
    const { value, ttl } = await this.fetchToken();
    const now = Date.now();
    const expiresAt = now + ttl * 1000;
    this.#token = { value, expiresAt };
    return value;
  }

  private static expired(token: Token): boolean {
    return Date.now() >= token.expiresAt;
  }
}
