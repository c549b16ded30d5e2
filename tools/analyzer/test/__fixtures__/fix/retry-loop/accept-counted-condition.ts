// The condition counts the attempts (`tries++ < max`): max attempts, the last error thrown.
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export async function load(fn: () => Promise<string>, max: number): Promise<string> {
  let tries = 0;
  let lastError: unknown;
  while (tries++ < max) {
    try {
      return await fn();
    } catch (error) {
      lastError = error;
      await sleep(50);
    }
  }
  throw lastError;
}
