// A bounded while loop: the last error kept, the delay doubling with the failure count.
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export async function send(post: () => Promise<Response>): Promise<Response> {
  let lastError: unknown;
  let attempt = 0;
  while (attempt < 3) {
    try {
      return await post();
    } catch (error) {
      lastError = error;
      attempt++;
      await sleep(100 * 2 ** attempt);
    }
  }
  throw lastError;
}
