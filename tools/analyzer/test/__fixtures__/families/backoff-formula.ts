// The reconnect delay: exponential from 50 ms, capped at 2 s, with jitter.
// expect: response/retry-backoff 3-7 elim 5 "computes a retry delay"
export function reconnectDelay(retries: number): number {
  const jitter = Math.floor(Math.random() * 100);
  const delay = Math.min(Math.pow(2, retries) * 50, 2000);
  return delay + jitter;
}
