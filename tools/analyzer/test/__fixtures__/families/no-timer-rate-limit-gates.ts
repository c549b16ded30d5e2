// Time since the last action inside rate-limit and idle code: it decides whether to act (and a
// message says why), or it refills a budget that is drawn down — response control, no measurement
// (the minimum gap between sends is reported as the throttle it is).
// expect: response/throttle 53-58 elim 6 "stamped with the clock when it runs"
export class Bucket {
  private tokens: number;
  private refilledAt = Date.now();

  constructor(
    private readonly size: number,
    private readonly perMs: number,
  ) {
    this.tokens = size;
  }

  take(): boolean {
    const now = Date.now();
    const elapsed = now - this.refilledAt;
    this.tokens = Math.min(this.size, this.tokens + elapsed * this.perMs);
    this.refilledAt = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

interface Slot {
  credit: number;
  last: number;
}
const slots: Record<string, Slot> = {};

export function admit(key: string, refillMs: number, size: number): boolean {
  const now = Date.now();
  const slot = slots[key] ?? { credit: size, last: now };
  slot.credit = Math.min(slot.credit + Math.floor((now - slot.last) / refillMs), size);
  slot.last = now;
  slots[key] = slot;
  if (slot.credit <= 0) return false;
  slot.credit--;
  return true;
}

export class Sender {
  private lastSent = 0;

  constructor(
    private readonly gap: number,
    private readonly debug: (message: string) => void,
  ) {}

  send(message: string, post: (m: string) => void): void {
    const since = Date.now() - this.lastSent;
    if (since < this.gap) {
      this.debug(`dropped: last send ${since}ms ago`);
      return;
    }
    this.lastSent = Date.now();
    post(message);
  }
}

export class Link {
  private heardAt = Date.now();

  constructor(
    private readonly idleMs: number,
    private readonly warn: (message: string) => void,
  ) {}

  heard(): void {
    this.heardAt = Date.now();
  }

  sweep(close: () => void): void {
    const quiet = Date.now() - this.heardAt;
    if (quiet > this.idleMs) {
      this.warn(`closing after ${quiet}ms without traffic`);
      close();
      return;
    }
  }
}
