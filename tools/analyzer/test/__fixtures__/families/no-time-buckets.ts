// Values cut to a width that are no per-window store: an offset aligned to its page (no time), a
// minute kept as data on a record, unix seconds sent in a header, an id taken from the clock, a
// server picked by the clock (read, never written), a slot of a ring numbered by a sequence, and
// a deadline.
// expect: none
export class Pages {
  private readonly pages = new Map<number, Uint8Array>();

  constructor(private readonly pageSize: number) {}

  pageAt(offset: number): Uint8Array | undefined {
    const pageStart = offset - (offset % this.pageSize);
    return this.pages.get(pageStart);
  }
}

export function stamped<T extends object>(record: T): T & { minute: number } {
  const minute = Math.floor(Date.now() / 60_000) * 60_000;
  return { ...record, minute };
}

export function signedHeaders(headers: Record<string, string>): Record<string, string> {
  headers["x-request-time"] = String(Math.floor(Date.now() / 1000));
  return headers;
}

export function jobName(prefix: string): string {
  const id = Date.now() % 100_000;
  return `${prefix}-${String(id)}`;
}

export class Servers {
  constructor(private readonly hosts: readonly string[]) {}

  pick(): string | undefined {
    return this.hosts[Date.now() % this.hosts.length];
  }
}

export class Ring<T> {
  private seq = 0;
  private readonly items: (T | undefined)[];

  constructor(size: number) {
    this.items = new Array<T | undefined>(size);
  }

  put(item: T): void {
    const slot = this.seq++ % this.items.length;
    this.items[slot] = item;
  }
}

export class Expiries {
  private readonly until = new Map<string, number>();

  hold(key: string, ttlMs: number): void {
    this.until.set(key, Date.now() + ttlMs - ((Date.now() + ttlMs) % 1000));
  }
}
