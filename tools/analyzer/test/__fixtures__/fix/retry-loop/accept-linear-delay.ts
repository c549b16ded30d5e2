// The delay grows linearly with the attempt: retry's delay function keeps that schedule.
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export async function connect(open: () => Promise<WebSocket>): Promise<WebSocket> {
  let lastError: unknown;
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      return await open();
    } catch (error) {
      lastError = error;
      await sleep(100 * (attempt + 1));
    }
  }
  throw lastError;
}
