// The delay doubles with the attempt under a ceiling: retry's exponential back-off.
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export async function connect(open: () => Promise<WebSocket>): Promise<WebSocket> {
  let lastError: unknown;
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      return await open();
    } catch (error) {
      lastError = error;
      if (attempt < 5 - 1) await sleep(Math.min(100 * 2 ** attempt, 2_000));
    }
  }
  throw lastError;
}
