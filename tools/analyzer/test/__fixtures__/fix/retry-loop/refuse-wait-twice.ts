// Waits before the later attempts and again in the catch: two waits per failure.
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export async function fetchTwice(get: () => Promise<string>): Promise<string> {
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    if (attempt > 0) await sleep(100);
    try {
      return await get();
    } catch (error) {
      lastError = error;
      await sleep(50);
    }
  }
  throw lastError;
}
