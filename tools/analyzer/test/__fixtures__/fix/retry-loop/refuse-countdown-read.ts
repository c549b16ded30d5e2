// The countdown is read in the catch: the count the condition keeps is not all it does.
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export async function send(post: () => Promise<void>): Promise<void> {
  let left = 4;
  let lastError: unknown;
  while (left-- > 0) {
    try {
      return await post();
    } catch (error) {
      lastError = error;
      await sleep(100 * left);
    }
  }
  throw lastError;
}
