// The delay comes from a call made on every pass (it may read a header, a config, the clock): retry asks it once per retry.
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
declare function nextDelay(): number;

export async function load<T>(get: () => Promise<T>): Promise<T> {
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await get();
    } catch (error) {
      lastError = error;
      await sleep(nextDelay());
    }
  }
  throw lastError;
}
