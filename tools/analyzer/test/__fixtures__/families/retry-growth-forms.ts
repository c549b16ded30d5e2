// Back-off policies whose growth is written other ways: an exponential delay named only by its
// variable, a power of two by shifting (jittered), and a stored delay multiplied for next time.
// expect: response/retry-backoff 6-8 elim 3 "exponential (`**`)"
// expect: response/retry-backoff 10-19 elim 10 "exponential (`<<`)"
// expect: response/retry-backoff 25-33 elim 9 "multiplied"
export const reconnectBackoff = (attemptIndex: number): number => {
  return attemptIndex === 0 ? 0 : Math.min(1000 * 2 ** attemptIndex, 30_000);
};

export function onErrorRetry(
  retryCount: number,
  maxRetryCount: number,
  intervalMs: number,
  revalidate: () => void,
): void {
  const pause = ~~((Math.random() + 0.5) * (1 << (retryCount < 8 ? retryCount : 8))) * intervalMs;
  if (retryCount > maxRetryCount) return;
  setTimeout(revalidate, pause);
}

export class RetryingCall {
  private nextBackoffSec = 1;
  constructor(private readonly policy: { multiplier: number; maxSec: number }) {}

  nextPauseMs(): number {
    const jitter = Math.random() * 0.4 + 0.8;
    const ms = jitter * this.nextBackoffSec * 1000;
    this.nextBackoffSec = Math.min(
      this.nextBackoffSec * this.policy.multiplier,
      this.policy.maxSec,
    );
    return ms;
  }
}
