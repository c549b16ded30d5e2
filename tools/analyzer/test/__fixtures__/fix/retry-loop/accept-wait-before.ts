// The wait comes before every attempt after the first, growing with the attempt.
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export async function subscribe(open: () => Promise<number>): Promise<number> {
  let lastError: unknown;
  for (let attempt = 0; attempt < 5; attempt++) {
    if (attempt > 0) {
      await sleep(200 * 2 ** attempt);
    }
    try {
      return await open();
    } catch (error) {
      lastError = error;
    }
  }
  throw lastError;
}
