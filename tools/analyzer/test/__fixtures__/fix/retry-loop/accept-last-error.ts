// The classic loop: the last error kept, a retry condition, a fixed delay through a sleep helper.
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export async function withRetries<T>(fn: () => Promise<T>): Promise<T> {
  let lastError: unknown;
  for (let attempt = 0; attempt < 4; attempt++) {
    try {
      return await fn();
    } catch (error) {
      lastError = error;
      if ((error as { status?: number }).status === 404) throw error;
      await sleep(250);
    }
  }
  throw lastError;
}
