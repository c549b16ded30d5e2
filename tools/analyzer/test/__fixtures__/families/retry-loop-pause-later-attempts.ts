// A bounded retry loop whose pause sits at the top of the attempt, taken only once the counter
// says an attempt already failed; connection failures go round, anything else is thrown.
// expect: response/retry-backoff 4-24 elim 21 "delay exponential"
export async function withReconnects<T>(limit: number, operation: () => Promise<T>): Promise<T> {
  let tries = 0;
  let lastFailure: Error | null = null;
  while (tries < limit) {
    try {
      if (tries > 0) {
        const wait = 500 * Math.pow(2, tries);
        await nap(wait);
      }
      return await operation();
    } catch (thrown) {
      if (thrown instanceof TypeError) {
        tries += 1;
        lastFailure = thrown;
      } else {
        throw thrown;
      }
    }
  }
  throw lastFailure ?? new Error("no attempt was made");
}

function nap(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms));
}
