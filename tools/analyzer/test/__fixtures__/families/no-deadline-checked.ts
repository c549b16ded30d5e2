// A deadline set when the request starts and only compared later fails the request: nothing is
// let through once per interval (no next time is set as the call goes through), and a notice
// after a delay that never stamps the time again is not a rate limit; a token renewed when its
// expiry has passed is a cache's expiry.
// expect: none
export class Request {
  private deadline = 0;
  constructor(private readonly timeoutMs: number) {}

  start(): void {
    this.deadline = Date.now() + this.timeoutMs;
  }

  check(fail: (reason: string) => void): void {
    const now = Date.now();
    if (now > this.deadline) {
      fail("deadline passed");
    }
  }
}

export function notice(startedAt: number): void {
  if (Date.now() > startedAt + 5000) {
    console.warn("still waiting");
  }
}

export class TokenHolder {
  private expiresAt = 0;
  private token = "";
  constructor(private readonly fetchToken: () => string) {}

  get(): string {
    const now = Date.now();
    if (now > this.expiresAt) {
      this.expiresAt = now + 60_000;
      this.token = this.fetchToken();
    }
    return this.token;
  }
}
