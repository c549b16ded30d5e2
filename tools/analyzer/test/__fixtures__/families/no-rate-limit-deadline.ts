// A server's rate-limit reset kept as a deadline and compared with the clock: the worker waits
// for it; no value is kept beside the stamp, so nothing expires. Not a TTL cache.
// expect: none
export class LimitedWorker {
  private limitUntil = 0;

  constructor(private readonly moveBack: () => Promise<number>) {}

  isRateLimited(): boolean {
    return this.limitUntil > Date.now();
  }

  async onLimited(): Promise<void> {
    const resetIn = await this.moveBack();
    this.limitUntil = resetIn > 0 ? Date.now() + resetIn : 0;
  }
}

export interface Cookie {
  value: string;
  expires?: Date;
}

export function applyMaxAge(cookie: Cookie, seconds: number): void {
  cookie.expires = new Date(Date.now() + seconds * 1000);
}

export function isExpired(cookie: Cookie): boolean {
  return (cookie.expires !== undefined && cookie.expires < new Date()) || !cookie.value;
}
