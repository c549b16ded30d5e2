// Retry delay policies handed to a job runner: linear growth with the attempt (capped), and a
// stored delay doubled for the next retry.
// expect: response/retry-backoff 12-18 elim 7 "grows with the attempt"
// expect: response/retry-backoff 22-26 elim 5 "multiplied"
export interface LinearOptions {
  readonly delay?: number;
  readonly step?: number;
  readonly maxDelay?: number;
  readonly maxRetries?: number;
}

export function linear(options: LinearOptions = {}): (attempt: number) => number | null {
  const { delay = 1_000, step = delay, maxDelay = Infinity, maxRetries = 3 } = options;
  return (attempt: number): number | null => {
    if (attempt > maxRetries) return null;
    return Math.min(delay + step * (attempt - 1), maxDelay);
  };
}

export const strategies = new Map<string, (job: { backoff: { delay: number } }) => number>();

strategies.set("exponential", (job) => {
  const current = job.backoff.delay;
  job.backoff.delay *= 2;
  return current;
});
