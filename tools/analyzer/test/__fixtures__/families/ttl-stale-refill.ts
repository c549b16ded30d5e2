// A kept value worked out again when it is missing or its stored time is old, the refill not in
// the branch: a method it calls fills the field (in a promise callback), a callback it hands on
// fills a closure's record, or the test is a small predicate's answer called by the `if`.
// expect: caching/ttl-cache 20-22 elim 3 "worked out again when it is missing"
// expect: caching/ttl-cache 35-42 elim 8 "worked out again when it is missing"
// expect: caching/ttl-cache 54-72 elim 6 "worked out again when it is missing"
declare function issue(): Promise<{ token: string; expiration?: Date }>;
declare function resolve(host: string, done: (err: Error | null, address: string) => void): void;

export class TokenManager {
  private current?: { token: string; expiration?: Date };

  private schedule(): Promise<void> {
    return issue().then((data) => {
      this.current = data;
    });
  }

  async getToken(): Promise<string | undefined> {
    if (this.current === undefined || this.current.expiration! < new Date()) {
      await this.schedule();
    }
    return this.current?.token;
  }
}

export function resolver(host: string, ttl: number): (send: (address: string) => void) => void {
  const record: { address?: string; at: number } = { at: 0 };
  return (send) => {
    const now = Date.now();
    if (record.address !== undefined && now - record.at <= ttl) {
      send(record.address);
      return;
    }
    if (record.address === undefined || now - record.at > ttl) {
      resolve(host, (err, address) => {
        if (err) return;
        record.address = address;
        record.at = now;
        send(address);
      });
    }
  };
}

// The test is a small predicate's answer; the `if` that calls it refills through a method.
declare function mint(): Promise<{ access_token: string; expires_in: number }>;

export class AccessTokens {
  private cached?: { accessToken: string; expirationTime: number };
  private pending?: Promise<string>;

  getToken(force = false): Promise<string> {
    if (force || this.shouldRefresh()) {
      this.pending = this.refresh();
    }
    return this.pending!;
  }

  private async refresh(): Promise<string> {
    const result = await mint();
    const token = {
      accessToken: result.access_token,
      expirationTime: Date.now() + result.expires_in * 1000,
    };
    this.cached = token;
    return token.accessToken;
  }

  private shouldRefresh(): boolean {
    return !this.cached || this.cached.expirationTime - Date.now() <= 60_000;
  }
}
