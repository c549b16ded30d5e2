// A reconnect back-off whose attempt count is put back to zero once a connection succeeds: the
// method made for that (the timer cleared, the count reset) is part of the back-off, reported where
// it is; a reset among other work is its one statement. The constructor's first value is not one,
// nor is a slot the retry only writes (`lastError`), emptied on success, nor a count a constructor
// written as a function sets up.
// expect: response/retry-backoff 21-32 elim 12 "a failure"
// expect: response/retry-backoff 36-40 elim 5 "sets `this.attempts` back to its start value"
// expect: response/retry-backoff 46-46 elim 1 "sets `this.attempts` back to its start value"
// expect: response/retry-poll 61-66 elim 6 "a failure"
export class Channel {
  private attempts: number;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly log: string[] = [];
  private lastError: unknown = null;

  constructor(private readonly open: () => Promise<void>) {
    this.attempts = 0;
  }

  async connect(): Promise<void> {
    try {
      await this.open();
    } catch (error) {
      this.lastError = error;
      if (this.attempts >= 5) throw error;
      this.attempts++;
      const wait = Math.min(100 * 2 ** this.attempts, 5_000);
      this.timer = setTimeout(() => {
        void this.connect();
      }, wait);
      return;
    }
    this.onOpen();
  }

  stopRetrying(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.attempts = 0;
  }

  private onOpen(): void {
    this.log.push("open");
    this.log.push(`after ${String(this.attempts)} retries`);
    this.lastError = null;
    this.attempts = 0;
  }
}

// A constructor written as a function sets the count up; that is not a reset.
export function Writer(this: { retries: number; max: number; closed: boolean }, max: number): void {
  this.retries = 0;
  this.max = max;
  this.closed = false;
}

Writer.prototype.write = function write(
  this: { retries: number; max: number; flush(): void },
  chunk: string,
): void {
  try {
    this.flush();
  } catch (error) {
    if (this.retries++ >= this.max) throw error;
    setTimeout(() => this.write(chunk), 100);
  }
};
