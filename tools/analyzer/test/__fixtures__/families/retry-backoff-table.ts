// Retries whose delay comes from a table read by the attempt, or from a helper given the attempt:
// back-offs. The poll below waits a fixed second: a retry-poll.
// expect: response/retry-backoff 13-23 elim 11 "delay taken from a table by the attempt"
// expect: response/retry-backoff 25-27 elim 3 "computes a retry delay"
// expect: response/retry-backoff 29-39 elim 11 "delay computed from the attempt by `backoff`"
// expect: response/retry-poll 41-52 elim 12 "fixed delay between attempts"
const DELAYS = [100, 500, 2_000, 5_000];

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export async function send<T>(request: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await request();
    } catch (error) {
      const delay = DELAYS[attempt];
      if (delay === undefined) throw error;
      await sleep(delay);
    }
  }
}

function backoff(attempt: number): number {
  return Math.min(30_000, 2 ** attempt * 100) * (0.5 + Math.random() / 2);
}

export async function fetchWithRetry<T>(request: () => Promise<T>, retries: number): Promise<T> {
  let attempt = 0;
  while (true) {
    try {
      return await request();
    } catch (error) {
      if (++attempt > retries) throw error;
      await sleep(backoff(attempt));
    }
  }
}

export async function poll<T>(read: () => Promise<T | undefined>, attempts: number): Promise<T> {
  for (let attempt = 0; attempt < attempts; attempt++) {
    try {
      const value = await read();
      if (value !== undefined) return value;
    } catch (error) {
      console.warn(`attempt ${attempt} failed`, error);
    }
    await sleep(1_000);
  }
  throw new Error("gave up");
}
