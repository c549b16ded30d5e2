// The catch logs every failure, the last one included: retry's onRetry would not log the last.
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export async function query<T>(run: () => Promise<T>): Promise<T> {
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await run();
    } catch (error) {
      lastError = error;
      console.warn("query failed", error);
      await sleep(50);
    }
  }
  throw lastError;
}
