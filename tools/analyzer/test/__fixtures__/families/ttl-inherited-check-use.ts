// The subclass refills the kept token when it is empty or the base class's expiry check (another
// file: ttl-inherited-check-base.ts) says so. A refill decided by a check no file defines as an
// expiry (`isClosed`) stays silent.
// expect: caching/ttl-cache 13-16 elim 4 "`isExpiring` is an expiry check of another file"
import { AuthClient } from "./ttl-inherited-check-base.js";

declare function fetchToken(audience: string): Promise<string>;
declare function expiryOf(token: string): number;
declare function connect(): Promise<{ close(): void }>;

export class IdTokenClient extends AuthClient {
  async header(audience: string): Promise<string> {
    if (!this.credentials.token || this.isExpiring()) {
      const token = await fetchToken(audience);
      this.credentials = { token, expiresAt: expiryOf(token) };
    }
    return `Bearer ${this.credentials.token ?? ""}`;
  }
}

export class Channel {
  private conn: { close(): void } | undefined;
  private closed = false;

  isClosed(): boolean {
    return this.closed;
  }

  async open(): Promise<{ close(): void }> {
    if (!this.conn || this.isClosed()) {
      this.conn = await connect();
    }
    return this.conn;
  }
}
