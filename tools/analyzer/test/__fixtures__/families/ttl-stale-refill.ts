// A kept value worked out again when it is missing or its stored time is old, where the refill is
// not written in the branch: a method the branch calls fills the field (through a promise
// callback), or a callback the branch hands on fills a record kept in the closure.
// expect: caching/ttl-cache 19-21 elim 3 "worked out again when it is missing"
// expect: caching/ttl-cache 34-41 elim 8 "worked out again when it is missing"
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
