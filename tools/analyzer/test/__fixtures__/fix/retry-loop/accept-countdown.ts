// A countdown in the condition (`left-- > 0`): as many attempts as it starts with.
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export async function commit(save: () => Promise<void>): Promise<void> {
  let left = 3;
  let lastError: unknown;
  while (left-- > 0) {
    try {
      return await save();
    } catch (error) {
      lastError = error;
      if (error instanceof TypeError) throw error;
      await sleep(20);
    }
  }
  throw lastError;
}
